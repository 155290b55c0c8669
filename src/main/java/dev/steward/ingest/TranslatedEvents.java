package dev.steward.ingest;

import dev.steward.core.FieldError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stores events that arrived in Amplitude's or Mixpanel's format, each translated into the Segment {@code track}
 * message Steward stores, through the checks and the store of Segment's own messages: durable before the answer,
 * idempotent by messageId (the vendor's insert id), held while their account is unknown, processed and mapped to
 * metrics by the source's settings exactly as Segment events are.
 */
@Component
public class TranslatedEvents {

    /** The vendors whose events Steward translates: their endpoints, and their exports that pulls read. */
    public enum Vendor {
        amplitude,
        mixpanel
    }

    private final SegmentMessages messages;
    private final SegmentEvents events;
    private final Sources sources;
    private final SegmentJobs processing;
    private final ObjectMapper json;

    TranslatedEvents(
            SegmentMessages messages,
            SegmentEvents events,
            Sources sources,
            SegmentJobs processing,
            ObjectMapper json) {
        this.messages = messages;
        this.events = events;
        this.sources = sources;
        this.processing = processing;
        this.json = json;
    }

    /**
     * One event of a vendor's request: the Segment message it becomes, or the problem that keeps it from being one.
     *
     * @param index its position in the vendor's request
     * @param insertId the vendor's insert id, when it has one
     * @param original the event as the vendor sent it, shown with a refusal
     */
    record Translated(int index, String insertId, ObjectNode message, FieldError problem, JsonNode original) {

        static Translated of(int index, String insertId, ObjectNode message, JsonNode original) {
            return new Translated(index, insertId, message, null, original);
        }

        static Translated refused(int index, String insertId, FieldError problem, JsonNode original) {
            return new Translated(index, insertId, null, problem, original);
        }
    }

    /**
     * What a request stored; {@code errors} names each refused event by its index in the vendor's request, its insert
     * id and the vendor's name of the field.
     */
    public record Outcome(int received, int stored, int duplicates, List<FieldError> errors) {

        /** Events accepted: stored now or stored before under the same insert id. */
        public int accepted() {
            return stored + duplicates;
        }
    }

    /**
     * Stores events read from a vendor's export, each translated as the vendor's endpoint translates it (with no
     * shortest id: the vendor took them) and stored once per insert id, so that an event both exported and sent to the
     * endpoint is stored once. The errors name each refused event by its index in {@code exported}.
     */
    public Outcome storeExported(Source source, Vendor vendor, List<JsonNode> exported, Instant receivedAt) {
        String groupKey = SegmentSettings.of(source.settings()).groupKey();
        List<Translated> translated = new ArrayList<>(exported.size());
        for (int index = 0; index < exported.size(); index++) {
            JsonNode event = exported.get(index);
            translated.add(
                    vendor == Vendor.amplitude
                            ? AmplitudeEvents.translate(index, event, groupKey, 1)
                            : MixpanelEvents.translate(index, event, groupKey, null));
        }
        return store(
                source,
                vendor.name(),
                translated,
                receivedAt,
                vendor == Vendor.amplitude
                        ? AmplitudeEvents::vendorField
                        : field -> MixpanelEvents.vendorField(field, groupKey));
    }

    /**
     * Checks and stores the translated events of one request. {@code vendorField} turns the name of a Segment field
     * a check refused ({@code timestamp}, {@code userId}...) into the vendor's name for it.
     */
    Outcome store(
            Source source,
            String vendor,
            List<Translated> translated,
            Instant receivedAt,
            UnaryOperator<String> vendorField) {
        List<FieldError> errors = new ArrayList<>();
        List<Rejection> rejections = new ArrayList<>();
        ObjectNode root = json.createObjectNode();
        ArrayNode batch = root.putArray("batch");
        List<Translated> sent = new ArrayList<>(translated.size());
        for (Translated event : translated) {
            if (event.problem() != null) {
                refuse(vendor, event, event.problem(), errors, rejections);
            } else {
                batch.add(event.message());
                sent.add(event);
            }
        }
        if (sent.isEmpty()) {
            sources.received(source, 0, rejections);
            return new Outcome(translated.size(), 0, 0, sorted(errors));
        }
        SegmentMessages.Checked checked = messages.check(
                messages.read(json.writeValueAsBytes(root)), null, receivedAt, SegmentSettings.of(source.settings()));
        for (FieldError error : checked.errors()) {
            Translated event = sent.get(error.index());
            refuse(
                    vendor,
                    event,
                    FieldError.of(vendorField(error.field(), vendorField), error.reason()),
                    errors,
                    rejections);
        }
        SegmentEvents.Admitted admitted = events.admit(checked.events());
        for (SegmentEvents.Refusal refusal : admitted.refused()) {
            Translated event = sent.get(refusal.event().index());
            refuse(
                    vendor,
                    event,
                    FieldError.of(
                            vendorField(refusal.error().field(), vendorField),
                            refusal.error().reason()),
                    errors,
                    rejections);
        }
        SegmentEvents.Stored stored = events.store(source, admitted.events(), rejections, receivedAt);
        if (stored.stored() > 0) {
            processing.soon();
        }
        return new Outcome(translated.size(), stored.stored(), stored.duplicates(), sorted(errors));
    }

    private static String vendorField(String segmentField, UnaryOperator<String> vendorField) {
        return segmentField == null ? null : vendorField.apply(segmentField);
    }

    private static void refuse(
            String vendor, Translated event, FieldError problem, List<FieldError> errors, List<Rejection> rejections) {
        errors.add(problem.forRecord(event.index(), event.insertId()));
        String record = vendor + "[" + event.index() + "]";
        rejections.add(new Rejection(
                event.insertId() == null ? record : record + " (" + event.insertId() + ")",
                problem.field(),
                problem.reason(),
                String.valueOf(event.original())));
    }

    private static List<FieldError> sorted(List<FieldError> errors) {
        errors.sort(Comparator.comparing(FieldError::index));
        return errors;
    }
}
