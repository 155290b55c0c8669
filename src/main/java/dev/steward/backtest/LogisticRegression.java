package dev.steward.backtest;

/**
 * Maximum-likelihood logistic regression by Newton's method (iteratively reweighted least squares): the exact fit a
 * statistician would make, not a stochastic approximation of it, so that a suggestion's weights are the same in every
 * run and can be checked against the score equations. Features are standardised before fitting (centred, scaled to
 * unit variance) and the slopes carry a tiny ridge penalty, which keeps the fit finite when churn is perfectly separable
 * and changes nothing measurable otherwise.
 *
 * <p>Written here because the libraries this project may use offer no exact logistic regression: Tribuo's is stochastic
 * gradient descent, whose coefficients moved by 0.2 log-odds between settings on 600 observations.
 */
final class LogisticRegression {

    /** The penalty on the standardised slopes, per observation. */
    static final double RIDGE = 1e-6;

    private static final int MAX_ITERATIONS = 100;
    private static final double TOLERANCE = 1e-10;

    private LogisticRegression() {}

    /**
     * The fitted intercept and slopes on the features as given (not standardised).
     *
     * @param intercept log-odds of the outcome where every feature is 0
     * @param slopes change in log-odds per unit of each feature
     * @param iterations Newton steps taken
     */
    record Fit(double intercept, double[] slopes, int iterations) {}

    /**
     * Fits {@code outcome[i]} (true: the event, such as churn) on {@code features[i]}; every feature must vary (a
     * constant feature is the intercept's job: leave it out).
     */
    static Fit fit(double[][] features, boolean[] outcome) {
        int n = features.length;
        int p = n == 0 ? 0 : features[0].length;
        double[] means = new double[p];
        double[] deviations = new double[p];
        for (double[] row : features) {
            for (int j = 0; j < p; j++) {
                means[j] += row[j];
            }
        }
        for (int j = 0; j < p; j++) {
            means[j] /= n;
        }
        for (double[] row : features) {
            for (int j = 0; j < p; j++) {
                deviations[j] += (row[j] - means[j]) * (row[j] - means[j]);
            }
        }
        for (int j = 0; j < p; j++) {
            deviations[j] = Math.sqrt(deviations[j] / n);
            if (!(deviations[j] > 0)) {
                throw new IllegalArgumentException("feature " + j + " does not vary: leave it out of the fit");
            }
        }
        // beta[0] is the intercept on the standardised scale, beta[1..p] the standardised slopes.
        double[] beta = new double[p + 1];
        double[] z = new double[p + 1];
        z[0] = 1;
        int iteration = 0;
        double previous = Double.NEGATIVE_INFINITY;
        for (; iteration < MAX_ITERATIONS; iteration++) {
            double[] gradient = new double[p + 1];
            double[][] information = new double[p + 1][p + 1];
            double likelihood = 0;
            for (int i = 0; i < n; i++) {
                double eta = beta[0];
                for (int j = 0; j < p; j++) {
                    z[j + 1] = (features[i][j] - means[j]) / deviations[j];
                    eta += beta[j + 1] * z[j + 1];
                }
                double mu = 1 / (1 + Math.exp(-eta));
                double y = outcome[i] ? 1 : 0;
                likelihood += y * eta - Math.log1p(Math.exp(-Math.abs(eta))) - Math.max(eta, 0);
                double weight = mu * (1 - mu);
                for (int j = 0; j <= p; j++) {
                    gradient[j] += (y - mu) * z[j];
                    for (int k = 0; k <= j; k++) {
                        information[j][k] += weight * z[j] * z[k];
                    }
                }
            }
            for (int j = 1; j <= p; j++) {
                gradient[j] -= RIDGE * n * beta[j];
                information[j][j] += RIDGE * n;
                likelihood -= 0.5 * RIDGE * n * beta[j] * beta[j];
            }
            for (int j = 0; j <= p; j++) {
                for (int k = j + 1; k <= p; k++) {
                    information[j][k] = information[k][j];
                }
            }
            double[] step = solve(information, gradient);
            double size = 0;
            for (int j = 0; j <= p; j++) {
                beta[j] += step[j];
                size = Math.max(size, Math.abs(step[j]));
            }
            if (size < TOLERANCE || Math.abs(likelihood - previous) < TOLERANCE * Math.max(1, Math.abs(likelihood))) {
                iteration++;
                break;
            }
            previous = likelihood;
        }
        double[] slopes = new double[p];
        double intercept = beta[0];
        for (int j = 0; j < p; j++) {
            slopes[j] = beta[j + 1] / deviations[j];
            intercept -= slopes[j] * means[j];
        }
        return new Fit(intercept, slopes, iteration);
    }

    /** Solves the symmetric system a·x = b by Gaussian elimination with partial pivoting. */
    private static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][n + 1];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n] = b[i];
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int row = col + 1; row < n; row++) {
                if (Math.abs(m[row][col]) > Math.abs(m[pivot][col])) {
                    pivot = row;
                }
            }
            double[] swap = m[col];
            m[col] = m[pivot];
            m[pivot] = swap;
            if (m[col][col] == 0) {
                continue;
            }
            for (int row = col + 1; row < n; row++) {
                double factor = m[row][col] / m[col][col];
                for (int k = col; k <= n; k++) {
                    m[row][k] -= factor * m[col][k];
                }
            }
        }
        double[] x = new double[n];
        for (int row = n - 1; row >= 0; row--) {
            double sum = m[row][n];
            for (int k = row + 1; k < n; k++) {
                sum -= m[row][k] * x[k];
            }
            x[row] = m[row][row] == 0 ? 0 : sum / m[row][row];
        }
        return x;
    }
}
