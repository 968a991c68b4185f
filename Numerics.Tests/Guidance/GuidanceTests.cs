using Verified.Theory;

namespace Verified.Numerics.Tests;

/// <summary>Guidance wrappers: the score route (classifier guidance) and the noise route (classifier-free guidance) agree
/// for the exact oracle at every scale (C6.1-C6.3), and w = 1 samples the class law (C6.4).</summary>
public class GuidanceTests
{
    private static readonly Schedule Vp = Schedules.VpLinear();

    private static GaussianMixture Labelled() =>
        new([0.2, 0.3, 0.5], [[1.5, 0.0], [-1.0, 0.5], [0.0, -1.2]],
            [new[,] { { 0.2, 0.05 }, { 0.05, 0.1 } }, new[,] { { 0.3, 0.0 }, { 0.0, 0.3 } }, new[,] { { 0.1, 0.0 }, { 0.0, 0.4 } }], [0, 1, 1]);

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(3.5)]
    public void Classifier_guidance_and_classifier_free_guidance_agree_for_the_exact_oracle(double w)
    {
        // eps_c - eps_null = -sigma (grad log p(x|c) - grad log p(x)) = -sigma grad log p(c|x) (C6.1), so the two routes coincide.
        var classes = new ClassConditional(new MixtureOracle(Labelled(), Vp));
        var classifier = new ModelView(new ClassifierGuidedModel(classes, 1, w));
        var free = new ModelView(ClassifierFreeGuidedModel.FromOracle(classes, 1, w));
        double[] x = [0.3, -0.2];
        var a = new double[2];
        var b = new double[2];
        foreach (var t in new[] { 0.05, 0.3, 0.9 })
        {
            classifier.Noise(x, t, a);
            free.Noise(x, t, b);
            Assert.True(Fixtures.MaxAbsDifference(a, b) < 1e-12, $"w = {w}, t = {t}: {string.Join(",", a)} vs {string.Join(",", b)}");
        }
    }

    [Fact]
    public void Unit_scale_guidance_samples_the_class_law_exactly_on_gaussian_class_data()
    {
        // Class 0 is a single Gaussian, so w = 1 guidance is the oracle of that Gaussian: the output law of an accurate
        // sampler must converge to p_0(x | c = 0) at t_min, which the engine measures exactly.
        var classes = new ClassConditional(new MixtureOracle(Labelled(), Vp));
        var guided = ClassifierFreeGuidedModel.FromOracle(classes, 0, 1.0);
        var classOracle = new OracleModel(classes.ClassMixture(0), Vp);
        var grid = TimeGrids.UniformLambda(Vp, 200, 1.0, 1e-2);
        var law = OutputLaw.Compute(new DpmSolver3(), guided, grid, OutputLaw.Target(classOracle, 1.0));
        Assert.True(law.KullbackLeibler(OutputLaw.Target(classOracle, 1e-2)) < 1e-8);
    }

    [Fact]
    public void Bad_labels_and_scales_are_rejected()
    {
        var classes = new ClassConditional(new MixtureOracle(Labelled(), Vp));
        Assert.Equal("label", Assert.Throws<ArgumentOutOfRangeException>(() => new ClassifierGuidedModel(classes, 2, 1.0)).ParamName);
        Assert.Equal("scale", Assert.Throws<ArgumentOutOfRangeException>(() => new ClassifierGuidedModel(classes, 0, double.NaN)).ParamName);
        Assert.Equal("label", Assert.Throws<ArgumentOutOfRangeException>(() => ClassifierFreeGuidedModel.FromOracle(classes, -1, 1.0)).ParamName);
        var other = new OracleModel(Labelled(), Schedules.Edm());
        Assert.Equal("conditional", Assert.Throws<ArgumentException>(() => new ClassifierFreeGuidedModel(new OracleModel(Labelled(), Vp), other, 1.0)).ParamName);
    }
}
