package dev.steward.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LogisticRegressionTests {

    /**
     * With one yes/no feature the maximum-likelihood fit is known by hand: the slope is the log odds ratio of the 2×2
     * table and the intercept the log odds where the feature is no. 30 of 100 accounts with the feature churned, 10 of
     * 200 without: slope ln((30 × 190) / (70 × 10)) = 2.0971, intercept ln(10 / 190) = −2.9444.
     */
    @Test
    void oneYesNoFeatureGivesTheLogOddsRatio() {
        double[][] features = new double[300][1];
        boolean[] churned = new boolean[300];
        for (int i = 0; i < 100; i++) {
            features[i][0] = 1;
            churned[i] = i < 30;
        }
        for (int i = 100; i < 300; i++) {
            churned[i] = i < 110;
        }

        LogisticRegression.Fit fit = LogisticRegression.fit(features, churned);

        assertThat(fit.slopes()[0]).isCloseTo(Math.log(30.0 * 190 / (70.0 * 10)), within(1e-3));
        assertThat(fit.intercept()).isCloseTo(Math.log(10.0 / 190), within(1e-3));
    }

    /** At the maximum the score equations hold: residuals sum to zero overall and against every feature. */
    @Test
    void theFitSolvesTheScoreEquations() {
        Random random = new Random(5);
        int n = 2_000;
        double[][] features = new double[n][3];
        boolean[] churned = new boolean[n];
        for (int i = 0; i < n; i++) {
            features[i][0] = random.nextInt(101);
            features[i][1] = random.nextGaussian() * 40 + 10;
            features[i][2] = random.nextInt(2);
            double eta = 1.5 - 0.04 * features[i][0] + 0.01 * features[i][1] - 0.8 * features[i][2];
            churned[i] = random.nextDouble() < 1 / (1 + Math.exp(-eta));
        }

        LogisticRegression.Fit fit = LogisticRegression.fit(features, churned);

        double[] score = new double[4];
        for (int i = 0; i < n; i++) {
            double eta = fit.intercept();
            for (int j = 0; j < 3; j++) {
                eta += fit.slopes()[j] * features[i][j];
            }
            double residual = (churned[i] ? 1 : 0) - 1 / (1 + Math.exp(-eta));
            score[0] += residual;
            for (int j = 0; j < 3; j++) {
                score[j + 1] += residual * features[i][j];
            }
        }
        assertThat(score[0]).isCloseTo(0, within(1e-6));
        // Against each feature the residuals balance the ridge on its standardised slope: λ × n × variance × slope.
        for (int j = 0; j < 3; j++) {
            double mean = 0;
            for (double[] row : features) {
                mean += row[j] / n;
            }
            double variance = 0;
            for (double[] row : features) {
                variance += (row[j] - mean) * (row[j] - mean) / n;
            }
            assertThat(score[j + 1])
                    .as("feature %d", j)
                    .isCloseTo(LogisticRegression.RIDGE * n * variance * fit.slopes()[j], within(1e-6));
        }
        assertThat(fit.slopes()[0]).isCloseTo(-0.04, within(0.01));
        assertThat(fit.iterations()).isLessThan(20);
    }

    /** Perfectly separated churn has no finite maximum; the ridge keeps the fit finite and pointing the right way. */
    @Test
    void perfectlySeparatedChurnStaysFinite() {
        double[][] features = {{0}, {10}, {20}, {80}, {90}, {100}};
        boolean[] churned = {true, true, true, false, false, false};

        LogisticRegression.Fit fit = LogisticRegression.fit(features, churned);

        assertThat(fit.slopes()[0]).isNegative().isFinite();
    }

    @Test
    void aFeatureThatDoesNotVaryIsRefused() {
        assertThatThrownBy(() -> LogisticRegression.fit(new double[][] {{1}, {1}}, new boolean[] {true, false}))
                .hasMessageContaining("does not vary");
    }
}
