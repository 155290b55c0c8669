package dev.steward.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DigestsTests {

    @Test
    void sha256HexIsTheStandardDigestInLowercaseHex() {
        // FIPS 180-2 test vectors
        assertThat(Digests.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Digests.sha256Hex("")).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void textIsEncodedAsUtf8() {
        // é is c3 a9 in UTF-8; as ISO-8859-1 (e9) it would give de2e331d…
        assertThat(Digests.sha256Hex("\u00e9"))
                .isEqualTo("4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c");
    }
}
