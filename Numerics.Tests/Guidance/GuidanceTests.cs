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
    public void Classifier_and_classifier_free_guidance_are_their_published_forms_built_from_independent_parts(double w)
    {
        // The two wrappers share ClassConditional's algebra (grad log p(c|x) = score_c - score), so comparing them with each
        // other checks a rearrangement. Each is compared here with its published form (Dhariwal & Nichol: eps - w sigma
        // grad log p_t(c|x); Ho & Salimans: eps + w (eps_c - eps)) from parts made along other routes: grad log p_t(c|x) by
        // central differences of log p_t(c|x) = log sum_{k in c} pi_k N_k - log p_t (Theory's log-sum-exp), and eps_c from an
        // oracle of the class's own renormalised mixture.
        var classes = new ClassConditional(new MixtureOracle(Labelled(), Vp));
        var classifier = new ModelView(new ClassifierGuidedModel(classes, 1, w));
        var free = new ModelView(ClassifierFreeGuidedModel.FromOracle(classes, 1, w));
        var classOnly = new MixtureOracle(classes.ClassMixture(1), Vp);
        double[] x = [0.3, -0.2];
        var a = new double[2];
        var b = new double[2];
        foreach (var t in new[] { 0.05, 0.3, 0.9 })
        {
            double sigma = Vp.Sigma(t), step = 1e-5 * sigma;
            var eps = classes.Oracle.Score(x, t).Select(v => -sigma * v).ToArray();
            var epsClass = classOnly.Score(x, t).Select(v => -sigma * v).ToArray();
            var classifierGradient = new double[2];
            for (int j = 0; j < 2; j++)
            {
                var up = (double[])x.Clone(); up[j] += step;
                var down = (double[])x.Clone(); down[j] -= step;
                classifierGradient[j] = (classes.LogClassPosterior(up, t, 1) - classes.LogClassPosterior(down, t, 1)) / (2 * step);
            }
            classifier.Noise(x, t, a);
            free.Noise(x, t, b);
            for (int j = 0; j < 2; j++)
            {
                double dhariwal = eps[j] - w * sigma * classifierGradient[j];
                double hoSalimans = eps[j] + w * (epsClass[j] - eps[j]);
                Assert.True(Math.Abs(a[j] - dhariwal) < 1e-7 * (1 + Math.Abs(dhariwal)), $"classifier guidance w = {w}, t = {t}, j = {j}: {a[j]:R} vs {dhariwal:R}");
                Assert.True(Math.Abs(b[j] - hoSalimans) < 1e-10 * (1 + Math.Abs(hoSalimans)), $"classifier-free w = {w}, t = {t}, j = {j}: {b[j]:R} vs {hoSalimans:R}");
            }
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
