using System.Reflection;
using System.Reflection.Emit;
using TorchSharp;

namespace Verified.Gpu.Tests;

/// <summary>
/// TorchSharp 0.107 frees a <see cref="Scalar"/> in its finalizer and reads its handle without keeping it alive, so a
/// temporary Scalar (an implicit conversion from a double, or the default alpha of 1 that <c>a + b</c> makes inside
/// TorchSharp) can be freed by the finalizer thread while libtorch still reads it: `report --tensor` in the default
/// preset died of that (Scalar.h "toFloat", in add_Scalar). Verified's tensor code therefore passes only Scalars it
/// owns and keeps alive (<see cref="Scalars"/>). This test reads the IL of every method of Verified.Gpu and fails
/// on each call that creates a Scalar temporary, directly or inside the TorchSharp method it calls.
/// </summary>
public class ScalarTemporariesTests
{
    [Fact]
    public void Verified_Gpu_passes_libtorch_no_Scalar_it_does_not_keep_alive()
    {
        var offenders = new List<string>();
        foreach (var method in MethodsOf(typeof(Scalars).Assembly))
        {
            if (method.DeclaringType == typeof(Scalars)) continue; // the owner: creates Scalars in `using` scopes
            foreach (var callee in Callees(method))
                if (CreatesTemporaryScalar(callee, depth: 0))
                    offenders.Add($"{method.DeclaringType?.FullName}.{method.Name} calls {callee.DeclaringType?.Name}.{callee.Name}({string.Join(", ", callee.GetParameters().Select(p => p.ParameterType.Name))})");
        }
        Assert.True(offenders.Count == 0, "Scalar temporaries:\n" + string.Join("\n", offenders.Distinct()));
    }

    [Fact]
    public void The_scan_sees_the_temporaries_it_is_meant_to_find()
    {
        // negative control: a method written the forbidden ways must be flagged, through each route
        var control = typeof(ScalarTemporariesTests).GetMethod(nameof(ForbiddenForms), BindingFlags.NonPublic | BindingFlags.Static)!;
        var flagged = Callees(control).Where(c => CreatesTemporaryScalar(c, 0)).Select(c => c.Name).ToHashSet();
        Assert.Contains("op_Implicit", flagged);   // a.mul(0.5): the conversion at the call site
        Assert.Contains("op_Multiply", flagged);   // a * 0.5: the conversion inside TorchSharp's operator
        Assert.Contains("op_Addition", flagged);   // a + b: TorchSharp's default alpha
        Assert.Contains("add_", flagged);          // add_(b): the same inside TorchSharp
        var allowed = typeof(ScalarTemporariesTests).GetMethod(nameof(AllowedForms), BindingFlags.NonPublic | BindingFlags.Static)!;
        Assert.DoesNotContain(Callees(allowed), c => CreatesTemporaryScalar(c, 0));
    }

    private static void ForbiddenForms(torch.Tensor a, torch.Tensor b)
    {
        using var x = a * 0.5;
        using var y = a + b;
        using var z = a.mul(0.5);
        a.add_(b);
    }

    private static void AllowedForms(torch.Tensor a, torch.Tensor b)
    {
        using var half = 0.5.ToScalar();
        using var x = a.mul(half);
        using var y = a.add(b, Scalars.One);
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private static IEnumerable<MethodBase> MethodsOf(Assembly assembly) =>
        assembly.GetTypes().SelectMany(t => t
            .GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Cast<MethodBase>()
            .Concat(t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)));

    /// <summary>The methods a method's IL calls (call, callvirt, newobj, ldftn).</summary>
    private static List<MethodBase> Callees(MethodBase method)
    {
        var result = new List<MethodBase>();
        byte[]? il;
        try { il = method.GetMethodBody()?.GetILAsByteArray(); } catch (Exception) { return result; }
        if (il is null) return result;
        for (int i = 0; i < il.Length;)
        {
            short value = il[i] == 0xFE ? unchecked((short)(0xFE00 | il[i + 1])) : il[i];
            i += il[i] == 0xFE ? 2 : 1;
            var op = OpCodesByValue[value];
            if (op.OperandType == OperandType.InlineMethod)
            {
                int token = BitConverter.ToInt32(il, i);
                try
                {
                    var typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
                    var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
                    if (method.Module.ResolveMethod(token, typeArgs, methodArgs) is { } callee) result.Add(callee);
                }
                catch (ArgumentException) { } // a vararg or unresolvable reference: nothing of TorchSharp's
            }
            i += op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i),
                _ => 4,
            };
        }
        return result;
    }

    private static readonly Dictionary<MethodBase, bool> Memo = new();

    /// <summary>Whether calling <paramref name="callee"/> makes a Scalar that nobody keeps alive: an implicit
    /// conversion to Scalar, or a TorchSharp method whose own body (followed a few calls deep) makes one.</summary>
    private static bool CreatesTemporaryScalar(MethodBase callee, int depth)
    {
        if (callee.DeclaringType == typeof(Scalar) && callee.Name == "op_Implicit") return true;
        if (callee.DeclaringType?.Assembly != typeof(Scalar).Assembly || depth >= 4) return false;
        if (callee.DeclaringType == typeof(Scalar)) return false; // Scalar's own members (Dispose, Handle)
        lock (Memo)
            if (Memo.TryGetValue(callee, out bool known)) return known;
        // inside TorchSharp an explicit ToScalar() is a temporary too: nothing there keeps it alive
        bool creates = Callees(callee).Any(c =>
            (c.DeclaringType == typeof(Scalar) && c.Name == "op_Implicit")
            || (c.DeclaringType?.Assembly == typeof(Scalar).Assembly && c.Name == "ToScalar")
            || (c.DeclaringType?.Assembly == typeof(Scalar).Assembly && c != callee && CreatesTemporaryScalar(c, depth + 1)));
        lock (Memo) Memo[callee] = creates;
        return creates;
    }
}
