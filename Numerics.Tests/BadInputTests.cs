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

    [Fact]
    public void Invalid_sampler_parameters_are_rejected_naming_the_parameter()
    {
        Assert.Equal("variance", Assert.Throws<ArgumentOutOfRangeException>(() => new Ddpm((DdpmVariance)7)).ParamName);
        Assert.Equal("noiseShare", Assert.Throws<ArgumentOutOfRangeException>(() => new GeneralisedReverse(-0.5)).ParamName);
        Assert.Equal("noiseShare", Assert.Throws<ArgumentOutOfRangeException>(() => new GeneralisedReverse(double.PositiveInfinity)).ParamName);
        Assert.Equal("snr", Assert.Throws<ArgumentOutOfRangeException>(() => new PredictorCorrector(snr: 0)).ParamName);
        Assert.Equal("correctorSteps", Assert.Throws<ArgumentOutOfRangeException>(() => new PredictorCorrector(correctorSteps: 0)).ParamName);
        Assert.Equal("stepSize", Assert.Throws<ArgumentOutOfRangeException>(() => new PredictorCorrector(stepSize: (LangevinStepSize)5)).ParamName);
        Assert.Equal("rtol", Assert.Throws<ArgumentOutOfRangeException>(() => new Rk45(rtol: 0)).ParamName);
        Assert.Equal("atol", Assert.Throws<ArgumentOutOfRangeException>(() => new Rk45(atol: double.NaN)).ParamName);
    }

    [Fact]
    public void Samplers_refuse_schedules_their_formula_does_not_cover()
    {
        var ve = Schedules.Ve();
        var veModel = Fixtures.Oracle(Fixtures.Gaussian2D(), ve);
        var grid = TimeGrids.UniformTime(ve, 4, 1.0, 0.1);
        var ddpm = Assert.Throws<ArgumentException>(() => new Ddpm(DdpmVariance.Beta).Sample(veModel, [0, 0], grid, ZeroNoise.Instance));
        Assert.Contains("variance-preserving", ddpm.Message);
        var follmer = Assert.Throws<ArgumentException>(() => new FollmerBridge().Sample(Model, [0, 0], TimeGrids.UniformTime(Vp, 4, 0.9, 0.1), ZeroNoise.Instance));
        Assert.Contains("Föllmer", follmer.Message);
    }

    [Fact]
    public void Follmer_grid_at_the_excluded_time_one_is_rejected()
    {
        var follmer = Schedules.Follmer();
        var model = Fixtures.Oracle(Fixtures.Gaussian2D(), follmer);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new FollmerEulerMaruyama().Sample(model, [0, 0], new TimeGrid([1.0, 0.5, 0.0]), ZeroNoise.Instance));
        Assert.Equal("grid", ex.ParamName);
    }

    [Fact]
    public void Singlestep_solvers_on_a_schedule_without_closed_form_lambda_inverse_fail_clearly()
    {
        var custom = Schedules.Custom("custom-vp", 0, 1, true, t => Math.Exp(-t), t => Math.Sqrt(1 - Math.Exp(-2 * t)),
            t => -Math.Exp(-t), t => Math.Exp(-2 * t) / Math.Sqrt(1 - Math.Exp(-2 * t)));
        var model = Fixtures.Oracle(Fixtures.Gaussian2D(), custom);
        var ex = Assert.Throws<NotSupportedException>(() => new DpmSolver2().Sample(model, [0, 0], TimeGrids.UniformTime(custom, 4, 1.0, 0.1), ZeroNoise.Instance));
        Assert.Contains("lambda^-1", ex.Message);
    }

    [Fact]
    public void Non_finite_start_to_the_likelihood_and_references_is_rejected()
    {
        Assert.Contains("x[0]", Assert.Throws<ArgumentException>(() => PfOdeLikelihood.Compute(Model, [double.NaN, 0], 0.1, 1.0)).Message);
        Assert.Contains("start[1]", Assert.Throws<ArgumentException>(() => References.PfOde(Model, [0, double.PositiveInfinity], 1.0, 0.1)).Message);
    }
}
