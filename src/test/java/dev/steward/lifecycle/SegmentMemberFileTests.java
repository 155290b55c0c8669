package dev.steward.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.core.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A CSV file of static members as read: its columns, its rows by number, and the files refused whole. */
class SegmentMemberFileTests {

    @Test
    void rowsAreNumberedFromTheFirstUnderTheHeaderWithBlankLinesCounted() {
        SegmentMemberFile.Rows rows = SegmentMemberFile.read(
                bytes("\uFEFFName, AccountID ,EXTERNALID\n Acme , a-1 ,\n\nGlobex,,\"G-2\"\r\nInitech,,\n"));
        assertThat(rows.ignoredColumns()).containsExactly("Name");
        assertThat(rows.rows())
                .containsExactly(
                        new SegmentMemberFile.Row(1, "a-1", null),
                        new SegmentMemberFile.Row(2, null, null),
                        new SegmentMemberFile.Row(3, null, "G-2"),
                        new SegmentMemberFile.Row(4, null, null));
        assertThat(rows.rows().get(1).blank()).isTrue();
    }

    @Test
    void aFileWithoutAnIdColumnTextOrRowsWithinTheLimitsIsRefusedWhole() {
        assertRefused("name,tier\nAcme,SMB\n", "one must be accountId");
        assertRefused("", "is empty");
        assertRefused("accountId\n\"open quote\n", "cannot be read as CSV");
        byte[] latin1 = "accountId\nM\u00fcller\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> SegmentMemberFile.read(latin1))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors().get(0).reason()).contains("not UTF-8"));
        String id = UUID.randomUUID().toString();
        assertRefused("accountId\n" + (id + "\n").repeat(SegmentMemberFile.MAXIMUM_ROWS + 1), "names more than 10000");
        assertThat(SegmentMemberFile.read(bytes("accountId\n" + (id + "\n").repeat(SegmentMemberFile.MAXIMUM_ROWS)))
                        .rows())
                .hasSize(SegmentMemberFile.MAXIMUM_ROWS);
        assertRefused("accountId\n" + "x".repeat(SegmentMemberFile.MAXIMUM_BYTES), "at most 1048576 (1 MB)");
    }

    @Test
    void onlyACanonicalUuidIsAnAccountId() {
        UUID id = UUID.randomUUID();
        assertThat(SegmentMemberFile.accountId(id.toString())).isEqualTo(id);
        assertThat(SegmentMemberFile.accountId("1-1-1-1-1")).isNull();
        assertThat(SegmentMemberFile.accountId("12345")).isNull();
    }

    private static void assertRefused(String csv, String reason) {
        assertThatThrownBy(() -> SegmentMemberFile.read(bytes(csv)))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.errors()).hasSize(1);
                    assertThat(e.errors().get(0).field()).isEqualTo("file");
                    assertThat(e.errors().get(0).reason()).contains(reason);
                });
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
