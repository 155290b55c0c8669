package dev.steward.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.demo.DemoHistory.Term;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DemoCompanyTests {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 23);
    private final DemoCompany company = new DemoCompany(42, TODAY);

    @Test
    void theSameSeedGivesTheSameCompany() {
        assertThat(new DemoCompany(42, TODAY).generate(17)).isEqualTo(company.generate(17));
        assertThat(new DemoCompany(43, TODAY).generate(17)).isNotEqualTo(company.generate(17));
    }

    @Test
    void churnIsPrecededByNoisySignalsThatPredictItWellButNotPerfectly() {
        // For each renewal in the window: the account's licence utilisation in the 90 days before, and whether it
        // churned.
        List<double[]> renewals = new ArrayList<>();
        int churned = 0, accounts = 2000, championLeft = 0, silent = 0;
        for (int i = 0; i < accounts; i++) {
            DemoHistory history = company.generate(i);
            for (Term term : history.terms()) {
                if (!term.status().equals("ended") || term.end().isBefore(TODAY.minusDays(600))) {
                    continue;
                }
                boolean churn = !term.autoRenew();
                double utilisation = utilisation(history, term);
                renewals.add(new double[] {utilisation, churn ? 1 : 0});
                if (churn) {
                    churned++;
                    if (history.churn().reasonCategory().equals("champion_left")) {
                        championLeft++;
                    }
                    if (utilisation > 0.6) {
                        silent++;
                    }
                }
            }
        }
        double auc = auc(renewals);
        System.out.printf(
                "renewals=%d churned=%d championLeft=%d highUsageChurn=%d auc=%.3f%n",
                renewals.size(), churned, championLeft, silent, auc);
        assertThat((double) churned / accounts)
                .as("share of accounts churned in two years")
                .isBetween(0.12, 0.4);
        assertThat(auc)
                .as("utilisation alone separates churn from renewal, imperfectly")
                .isBetween(0.7, 0.95);
        assertThat(championLeft).isPositive();
        assertThat(silent).as("some churn comes without warning").isPositive();
    }

    @Test
    void namesAreUniqueInACompanyOfThousands() {
        assertThat(IntStream.range(0, 12_000).mapToObj(company::name).distinct().count())
                .isEqualTo(12_000);
    }

    @Test
    void accountsHaveSegmentsHierarchyContactsAndHistory() {
        List<DemoHistory> histories =
                IntStream.range(0, 200).mapToObj(company::generate).toList();
        assertThat(histories).extracting(h -> h.profile().tier()).contains("Enterprise", "Mid-Market", "SMB");
        assertThat(histories.get(51).profile().parentExternalId()).isEqualTo(DemoCompany.accountExternalId(50));
        assertThat(histories).allSatisfy(h -> {
            assertThat(h.people().size()).isBetween(3, 9);
            assertThat(h.terms()).isNotEmpty();
            assertThat(h.usage()).isNotEmpty();
        });
        assertThat(histories)
                .anySatisfy(h -> assertThat(h.invoices())
                        .anySatisfy(inv -> assertThat(inv.paidOn()).isAfter(inv.dueOn())));
        assertThat(histories)
                .anySatisfy(h -> assertThat(h.meetings())
                        .anySatisfy(m -> assertThat(m.type()).isEqualTo("qbr")));
    }

    private static double utilisation(DemoHistory history, Term term) {
        double sum = 0;
        int days = 0;
        for (DemoHistory.Usage u : history.usage()) {
            if (u.metric().equals("active_users")
                    && u.day().isBefore(term.end())
                    && !u.day().isBefore(term.end().minusDays(90))) {
                sum += u.value();
                days++;
            }
        }
        return days == 0 ? 0 : sum / days / term.seats();
    }

    /** Probability that a random churned renewal had lower utilisation than a random retained one. */
    private static double auc(List<double[]> renewals) {
        double wins = 0;
        long pairs = 0;
        for (double[] a : renewals) {
            if (a[1] != 1) {
                continue;
            }
            for (double[] b : renewals) {
                if (b[1] == 0) {
                    pairs++;
                    wins += a[0] < b[0] ? 1 : a[0] == b[0] ? 0.5 : 0;
                }
            }
        }
        return wins / pairs;
    }
}
