using Verified.Theory;

namespace Verified.Gpu;

/// <summary>The schedules a network can name in its config and checkpoint (the default-parameter schedules of Theory).</summary>
public static class ScheduleCatalog
{
    /// <summary>All catalogued schedules.</summary>
    public static IReadOnlyList<Schedule> All() =>
    [
        Schedules.VpLinear(), Schedules.VpCosine(), Schedules.SubVp(), Schedules.Ve(),
        Schedules.Edm(), Schedules.LinearInterpolant(), Schedules.Follmer(),
    ];

    /// <summary>The schedule with this name; the message lists the valid names.</summary>
    public static Schedule ByName(string name)
    {
        var all = All();
        return all.FirstOrDefault(s => s.Name == name)
            ?? throw new ArgumentException($"unknown schedule '{name}'; valid names: {string.Join(", ", all.Select(s => s.Name))}", nameof(name));
    }
}
