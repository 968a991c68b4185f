namespace Verified.Numerics;

/// <summary>Cholesky factor and forward substitution on small dense matrices (MathNet has no public triangular solve).</summary>
internal static class Triangular
{
    /// <summary>Lower L with A = L L^T, or null when A is not (numerically) positive definite.</summary>
    public static double[,]? Cholesky(double[,] a)
    {
        int d = a.GetLength(0);
        var l = new double[d, d];
        for (int j = 0; j < d; j++)
        {
            double diagonal = a[j, j];
            for (int k = 0; k < j; k++) diagonal -= l[j, k] * l[j, k];
            if (!(diagonal > 0)) return null;
            l[j, j] = Math.Sqrt(diagonal);
            for (int i = j + 1; i < d; i++)
            {
                double sum = a[i, j];
                for (int k = 0; k < j; k++) sum -= l[i, k] * l[j, k];
                l[i, j] = sum / l[j, j];
            }
        }
        return l;
    }

    /// <summary>Solves L y = b in place (L lower triangular).</summary>
    public static void SolveLower(double[,] l, Span<double> b)
    {
        int d = b.Length;
        for (int i = 0; i < d; i++)
        {
            double sum = b[i];
            for (int k = 0; k < i; k++) sum -= l[i, k] * b[k];
            b[i] = sum / l[i, i];
        }
    }

    /// <summary>L^-1 A L^-T for symmetric A (two triangular solves, no inverse), symmetrised.</summary>
    public static double[,] Whiten(double[,] l, double[,] a)
    {
        int d = a.GetLength(0);
        var half = new double[d, d]; // L^-1 A, column by column
        var column = new double[d];
        for (int c = 0; c < d; c++)
        {
            for (int r = 0; r < d; r++) column[r] = a[r, c];
            SolveLower(l, column);
            for (int r = 0; r < d; r++) half[r, c] = column[r];
        }
        var result = new double[d, d]; // (L^-1 (L^-1 A)^T)^T = L^-1 A L^-T
        for (int r = 0; r < d; r++)
        {
            for (int c = 0; c < d; c++) column[c] = half[r, c];
            SolveLower(l, column);
            for (int c = 0; c < d; c++) result[c, r] = column[c];
        }
        for (int r = 0; r < d; r++)
            for (int c = 0; c < r; c++)
                result[r, c] = result[c, r] = 0.5 * (result[r, c] + result[c, r]);
        return result;
    }
}
