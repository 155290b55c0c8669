package dev.steward.core;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * Position after the last row of a page under keyset paging: the sort key's value (as text) and the row's id, which
 * breaks ties. Encoded as URL-safe base64 so clients treat it as opaque.
 */
public record Cursor(String sortValue, UUID id) {

    public String encode() {
        String raw = (sortValue == null ? "\u0000" : sortValue) + "\u0001" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static Cursor decode(String token) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int split = raw.lastIndexOf('\u0001');
            String value = raw.substring(0, split);
            return new Cursor(value.equals("\u0000") ? null : value, UUID.fromString(raw.substring(split + 1)));
        } catch (RuntimeException e) {
            throw new InvalidInputException("cursor", "is not a cursor returned by this API; start again without it");
        }
    }
}
