using Verified.Theory;

namespace Verified.Numerics.Tests;

public class BadInputTests
{
    private static readonly Schedule Vp = Schedules.VpLinear();
    private static readonly OracleModel Model = Fixtures.Oracle(Fixtures.Gaussian2D(), Vp);

    [Fact]
    public void Non_monotone_grid_is_rejected_naming_the_offending_points()
    {
        var ex = Assert.Throws<ArgumentException>(() => new TimeGrid([1.0, 0.5, 0.7]));
        Assert.Equal("times", ex.ParamName);
        Assert.Contains("strictly decreasing", ex.Message);
    }

    [Fact]
    public void Grid_outside_the_schedule_domain_is_rejected()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new PfOdeEuler().Sample(Model, [0, 0], new TimeGrid([1.5, 0.1]), ZeroNoise.Instance));
        Assert.Equal("grid", ex.ParamName);
        Assert.Contains("1.5", ex.Message);
    }

    [Fact]
    public void Zero_steps_are_rejected()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => TimeGrids.UniformTime(Vp, 0, 1.0, 0.01));
        Assert.Equal("steps", ex.ParamName);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Eta_outside_unit_interval_is_rejected(double eta)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Ddim(eta));
        Assert.Equal("eta", ex.ParamName);
    }

    [Fact]
    public void Dimension_mismatch_between_model_and_state_is_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Heun().Sample(Model, [0, 0, 0], TimeGrids.UniformTime(Vp, 4, 1.0, 0.01), ZeroNoise.Instance));
        Assert.Equal("start", ex.ParamName);
        Assert.Contains("dimension 2", ex.Message);
    }

    [Fact]
    public void NaN_in_the_state_is_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Heun().Sample(Model, [0, double.NaN], TimeGrids.UniformTime(Vp, 4, 1.0, 0.01), ZeroNoise.Instance));
        Assert.Contains("start[1]", ex.Message);
    }
}
