package dev.steward.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PageLimitTests {

    private final PageLimit limit = new PageLimit(50, 200);

    @Test
    void noLimitIsTheDefaultAndALimitInRangeIsKept() {
        assertThat(limit.of(null)).isEqualTo(50);
        assertThat(limit.of(1)).isEqualTo(1);
        assertThat(limit.of(200)).isEqualTo(200);
    }

    @Test
    void aLimitAboveTheMaximumIsRefusedNamingTheParameterTheValueAndTheMaximum() {
        assertThatThrownBy(() -> limit.of(201)).isInstanceOfSatisfying(BadRequestException.class, e -> {
            assertThat(e.error().field()).isEqualTo("limit");
            assertThat(e.error().reason()).isEqualTo("is 201; the maximum is 200 (from 1 to 200, default 50)");
        });
        assertThatThrownBy(() -> limit.of("size", 0)).isInstanceOfSatisfying(BadRequestException.class, e -> {
            assertThat(e.error().field()).isEqualTo("size");
            assertThat(e.error().reason()).startsWith("is 0; the minimum is 1");
        });
    }
}
