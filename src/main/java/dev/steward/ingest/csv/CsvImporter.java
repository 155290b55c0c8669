package dev.steward.ingest.csv;

import dev.steward.activity.ActivityRecorder;
import dev.steward.activity.ChurnEventInput;
import dev.steward.activity.ChurnLabelInput;
import dev.steward.activity.ChurnLabels;
import dev.steward.activity.InvoiceInput;
import dev.steward.activity.MeetingInput;
import dev.steward.activity.SurveyResponseInput;
import dev.steward.activity.TicketInput;
import dev.steward.core.BulkResult;
import dev.steward.core.ConflictException;
import dev.steward.core.CsvCells;
import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import dev.steward.customer.AccountAttributes;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.AttributeInput;
import dev.steward.customer.ContactManagement;
import dev.steward.customer.Contract;
import dev.steward.customer.ContractManagement;
import dev.steward.customer.OpportunityManagement;
import dev.steward.ingest.Rejection;
import dev.steward.ingest.Source;
import dev.steward.ingest.Sources;
import dev.steward.usage.DailyUsage;
import dev.steward.usage.UsageMetric;
import dev.steward.usage.UsageRecorder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterators;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Imports a CSV file as one kind of record: each row is read and checked on its own, good rows are written through
 * the owning module's bulk upsert (usage rows through the COPY import) in one transaction per file, and rejected
 * rows are reported with their line, column, value and reason and kept as CSV. Records are upserted by their
 * external id in the source and usage rows by account, metric and day, so importing a file again adds nothing.
 */
@Service
class CsvImporter {

    /** Records per bulk upsert; well under the bulk API's limit, so one batch's failure names few rows. */
    static final int BATCH = 1_000;

    /** Usage rows read before their accounts are looked up together. */
    private static final int USAGE_BLOCK = 5_000;

    /** Rejections recorded per import in the source's rejection log (the data sources page); the report has all. */
    private static final int LOGGED_REJECTIONS = 100;

    private static final LocalDate FIRST_DAY = LocalDate.of(1900, 1, 1);
    private static final LocalDate LAST_DAY = FIRST_DAY.plusDays((1 << 17) - 1);

    private final AccountManagement accounts;
    private final ContactManagement contacts;
    private final ContractManagement contracts;
    private final OpportunityManagement opportunities;
    private final ActivityRecorder activities;
    private final UsageRecorder usage;
    private final AccountAttributes attributes;
    private final ChurnLabels labels;
    private final Sources sources;
    private final ObjectMapper json;
    private final TransactionTemplate transactions;
    private final Clock clock;

    CsvImporter(
            AccountManagement accounts,
            ContactManagement contacts,
            ContractManagement contracts,
            OpportunityManagement opportunities,
            ActivityRecorder activities,
            UsageRecorder usage,
            AccountAttributes attributes,
            ChurnLabels labels,
            Sources sources,
            ObjectMapper json,
            PlatformTransactionManager transactionManager,
            Clock clock) {
        this.accounts = accounts;
        this.contacts = contacts;
        this.contracts = contracts;
        this.opportunities = opportunities;
        this.activities = activities;
        this.usage = usage;
        this.attributes = attributes;
        this.labels = labels;
        this.sources = sources;
        this.json = json;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /** The report and the rejected rows as CSV (the file's columns and an {@code error} column). */
    record Outcome(ImportReport report, byte[] rejectedCsv) {}

    /**
     * Imports the file. A mapping that does not fit the file is refused before anything is read ({@link
     * InvalidInputException} naming each field); a file that cannot be read to its end writes nothing.
     */
    Outcome run(Source source, CsvEntity entity, CsvInput input, CsvMapping mapping, boolean atomic)
            throws IOException {
        return run(source, source.name(), entity, input, mapping, atomic);
    }

    /** Imports the file, its account references naming accounts by their external ids in {@code accountSource}. */
    Outcome run(
            Source source, String accountSource, CsvEntity entity, CsvInput input, CsvMapping mapping, boolean atomic)
            throws IOException {
        long started = System.nanoTime();
        try (CsvReader reader = input.reader()) {
            List<FieldError> problems = problems(entity, mapping, reader.header());
            if (!problems.isEmpty()) {
                throw new InvalidInputException(problems);
            }
            Run run = new Run(source.name(), accountSource, entity, mapping, reader, atomic);
            run.keepRejectedRows = input.keepsRejectedRows();
            String fileError = null;
            try {
                if (entity.isUsage() && mapping.createsMetrics()) {
                    run.metricsAdded.addAll(
                            mapping.wide() ? missingWideMetrics(mapping) : missingMetrics(input, entity, mapping));
                }
                transactions.executeWithoutResult(status -> {
                    if (!run.metricsAdded.isEmpty()) {
                        addMetrics(run.metricsAdded, input.name());
                    }
                    if (entity.isUsage()) {
                        importUsage(run);
                    } else {
                        importRecords(run);
                    }
                    if (atomic && run.rejected > 0) {
                        status.setRollbackOnly();
                    }
                });
            } catch (CsvFileException | InvalidInputException e) {
                fileError = e instanceof InvalidInputException invalid
                        ? String.join(
                                "; ",
                                invalid.errors().stream()
                                        .map(FieldError::toString)
                                        .toList())
                        : e.getMessage();
            }
            boolean written = fileError == null && !(atomic && run.rejected > 0);
            ImportReport report = run.report(input.name(), written, fileError, (System.nanoTime() - started) / 1e9);
            if (report.written()) {
                log(source, report);
            }
            return new Outcome(report, run.rejectedCsv());
        }
    }

    /**
     * What is wrong with a mapping for a file with this header: the mapping's own problems and, for a wide usage
     * file, metrics the catalog lacks (unless the mapping adds them).
     */
    List<FieldError> problems(CsvEntity entity, CsvMapping mapping, List<String> header) {
        List<FieldError> problems = new ArrayList<>(mapping.problems(entity, header));
        if (entity.isUsage() && mapping.wide() && !mapping.createsMetrics()) {
            Set<String> known = knownMetrics();
            mapping.columns().forEach((column, wide) -> {
                if (wide != null && wide.key() != null && !known.contains(wide.key())) {
                    problems.add(FieldError.of(
                            "columns." + column,
                            "unknown metric '" + wide.key() + "'; the catalog has "
                                    + String.join(", ", new java.util.TreeSet<>(known))
                                    + "; add it to the catalog (POST /api/v1/usage/metrics) or set createMetrics: true"
                                    + " in the mapping"));
                }
            });
        }
        return problems;
    }

    /** Most rows the preview reads through for what only the whole file shows; a larger file is checked this far. */
    static final int CHECKED_ROWS = 100_000;

    /** Most rows beyond the first ones that the preview lists as rejected. */
    static final int LATER_SHOWN = 20;

    /**
     * The preview: the first rows, each converted and checked as the import would; then, reading on through the
     * file (up to {@link #CHECKED_ROWS} rows), the later rows the import will reject (at most {@link #LATER_SHOWN}
     * of them, and how many in all), so that a duplicate id or an owner email that is no user's shows before the
     * import, not in its report.
     */
    record Preview(
            List<PreviewRow> rows,
            List<PreviewRow> later,
            long laterRejected,
            long checkedRows,
            boolean wholeFile,
            String fileError) {}

    /** Reads the first rows for a preview, each converted and checked as the import would, then checks the rest. */
    Preview preview(Source source, CsvEntity entity, CsvReader reader, CsvMapping mapping, int limit) {
        return preview(source.name(), entity, reader, mapping, limit);
    }

    /** The preview, account references naming accounts by their external ids in {@code accountSource}. */
    Preview preview(String accountSource, CsvEntity entity, CsvReader reader, CsvMapping mapping, int limit) {
        RowConverter converter = new RowConverter(entity, mapping, reader.header());
        List<PreviewRow> rows = new ArrayList<>();
        Set<String> metrics = entity.isUsage() ? knownMetrics() : Set.of();
        WholeFileChecks checks = new WholeFileChecks(entity, mapping, converter);
        CsvReader.Row row;
        while (rows.size() < limit && (row = reader.next()) != null) {
            RowConverter.Converted converted = converter.convert(row);
            if (converted.skipped()) {
                rows.add(new PreviewRow(row, Map.of(), new ArrayList<>(), true));
                continue;
            }
            List<RowConverter.Problem> problems = new ArrayList<>(converted.problems());
            if (converted.good() && entity.isUsage() && converted.wide() == null) {
                Object metric = converted.values().get("metric");
                if (metric != null && !metrics.contains(metric) && !mapping.createsMetrics()) {
                    problems.add(unknownMetric(converter, row, (String) metric, metrics));
                }
            }
            if (converted.good()) {
                problems.addAll(checks.of(row, converted.values()));
            }
            Map<String, Object> values = converted.values();
            if (converted.wide() != null) {
                values = new LinkedHashMap<>(values);
                Map<String, Object> byKey = new LinkedHashMap<>();
                converted.wide().forEach(v -> byKey.put(v.key(), v.value()));
                values.put("columns", byKey);
            }
            rows.add(new PreviewRow(row, values, problems, false));
        }
        resolveReferences(accountSource, mapping, converter, rows);
        List<PreviewRow> later = new ArrayList<>();
        long laterRejected = 0;
        long checked = rows.size();
        boolean wholeFile = true;
        String fileError = null;
        while (true) {
            if (checked >= CHECKED_ROWS) {
                wholeFile = false;
                break;
            }
            try {
                row = reader.next();
            } catch (CsvFileException e) {
                // The import reads the whole file before writing and writes nothing from a broken one: say so now.
                fileError = e.getMessage();
                break;
            }
            if (row == null) {
                break;
            }
            checked++;
            RowConverter.Converted converted = converter.convert(row);
            if (converted.skipped()) {
                continue;
            }
            List<RowConverter.Problem> problems = new ArrayList<>(converted.problems());
            if (converted.good()) {
                problems.addAll(checks.of(row, converted.values()));
            }
            if (!problems.isEmpty()) {
                laterRejected++;
                if (later.size() < LATER_SHOWN) {
                    later.add(new PreviewRow(row, converted.values(), problems, false));
                }
            }
        }
        return new Preview(rows, later, laterRejected, checked, wholeFile, fileError);
    }

    /**
     * What the import refuses that a row alone does not show: a record id an earlier row of the file already held
     * (for files of one record per row), and, for accounts, an owner email that is no user's.
     */
    private final class WholeFileChecks {
        private final RowConverter converter;
        private final boolean keyed;
        private final boolean owners;
        private final Map<String, Long> firstLineOf = new HashMap<>();
        private final Map<String, Boolean> knownEmails = new HashMap<>();

        WholeFileChecks(CsvEntity entity, CsvMapping mapping, RowConverter converter) {
            this.converter = converter;
            this.keyed = entity.wide() == null && entity.keyFields().equals(List.of("externalId"));
            this.owners = entity == CsvEntity.accounts && mapping.fields().containsKey("ownerEmail");
        }

        List<RowConverter.Problem> of(CsvReader.Row row, Map<String, Object> values) {
            List<RowConverter.Problem> problems = new ArrayList<>(1);
            if (keyed && values.get("externalId") instanceof String id) {
                Long first = firstLineOf.putIfAbsent(id, row.firstLine());
                if (first != null) {
                    problems.add(new RowConverter.Problem(
                            converter.columnOf("externalId"),
                            "externalId",
                            id,
                            "'" + id + "' is already on line " + first
                                    + "; a file may hold each record once, and the import rejects the repeat"));
                }
            }
            if (owners && values.get("ownerEmail") instanceof String email && !email.isBlank()) {
                boolean known = knownEmails.computeIfAbsent(
                        email.toLowerCase(java.util.Locale.ROOT),
                        e -> accounts.unknownOwnerEmails(List.of(email)).isEmpty());
                if (!known) {
                    problems.add(new RowConverter.Problem(
                            converter.columnOf("ownerEmail"),
                            "ownerEmail",
                            converter.cellOf("ownerEmail", row),
                            "no user with email " + email + "; add the user first (Settings → Users), correct the"
                                    + " cell, or leave it empty"));
                }
            }
            return problems;
        }
    }

    /**
     * A row of the preview: the cells, the values read from them (a wide row's values under {@code columns}, by
     * key), what is wrong, and whether the mapping's condition skips it.
     */
    record PreviewRow(
            CsvReader.Row row, Map<String, Object> values, List<RowConverter.Problem> problems, boolean skipped) {}

    /** Checks in the preview that the accounts (or contracts) rows refer to exist, as the import will. */
    private void resolveReferences(String source, CsvMapping mapping, RowConverter converter, List<PreviewRow> rows) {
        FieldSource account = mapping.fields().get(CsvEntity.ACCOUNT_EXTERNAL_ID);
        if (account == null) {
            return;
        }
        Set<String> ids = new HashSet<>();
        rows.stream()
                .filter(r -> r.problems().isEmpty() && !r.skipped())
                .map(r -> (String) r.values().get(CsvEntity.ACCOUNT_EXTERNAL_ID))
                .filter(java.util.Objects::nonNull)
                .forEach(ids::add);
        Map<String, AccountId> found = resolve(source, account, ids);
        for (PreviewRow row : rows) {
            String id = (String) row.values().get(CsvEntity.ACCOUNT_EXTERNAL_ID);
            if (row.problems().isEmpty() && !row.skipped() && id != null && !found.containsKey(id)) {
                row.problems().add(missingReference(source, account, converter, row.row(), id));
            }
        }
    }

    private Map<String, AccountId> resolve(String source, FieldSource account, Collection<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return "contracts".equals(account.via())
                ? contracts.accountsByExternalId(source, ids)
                : accounts.resolve(source, ids);
    }

    private static RowConverter.Problem missingReference(
            String source, FieldSource account, RowConverter converter, CsvReader.Row row, String id) {
        boolean viaContracts = "contracts".equals(account.via());
        String reason = viaContracts
                ? "no contract has external id '" + id + "' in source '" + source
                        + "'; import the contracts (subscriptions) first"
                : "no account has external id '" + id + "' in source '" + source + "'; import the accounts first";
        return new RowConverter.Problem(
                converter.columnOf(CsvEntity.ACCOUNT_EXTERNAL_ID),
                CsvEntity.ACCOUNT_EXTERNAL_ID,
                converter.cellOf(CsvEntity.ACCOUNT_EXTERNAL_ID, row),
                reason);
    }

    // ---- records: accounts, contacts, contracts, opportunities and activity facts

    /** A good row's record waiting for its batch to be written (a wide row gives several, one per value). */
    private record Pending(CsvReader.Row row, Map<String, Object> values) {}

    private void importRecords(Run run) {
        Map<String, Long> firstLineOf = new HashMap<>();
        List<String> keyFields = run.entity.keyFields();
        CsvEntity.Wide wide = run.entity.wide();
        List<Pending> batch = new ArrayList<>(BATCH);
        for (CsvReader.Row row = run.reader.next(); row != null; row = run.reader.next()) {
            run.rows++;
            RowConverter.Converted converted = run.converter.convert(row);
            if (converted.skipped()) {
                run.skipped++;
                continue;
            }
            if (!converted.good()) {
                run.reject(row, converted.problems());
                continue;
            }
            List<Map<String, Object>> records = new ArrayList<>(1);
            if (converted.wide() == null) {
                records.add(converted.values());
            } else {
                for (RowConverter.WideValue value : converted.wide()) {
                    Map<String, Object> values = new LinkedHashMap<>(converted.values());
                    values.put(wide.keyField(), value.key());
                    values.put(CsvEntity.VALUE, value.value());
                    records.add(values);
                }
            }
            RowConverter.Problem repeated = null;
            List<String> keys = new ArrayList<>(records.size());
            for (Map<String, Object> values : records) {
                String key = keyOf(keyFields, values);
                if (key == null) {
                    continue;
                }
                Long first = firstLineOf.get(key);
                if (first != null) {
                    repeated = repeated(run, row, values, first);
                    break;
                }
                keys.add(key);
            }
            if (repeated != null) {
                run.reject(row, List.of(repeated));
                continue;
            }
            for (String key : keys) {
                firstLineOf.put(key, row.firstLine());
            }
            if (records.isEmpty()) {
                // A wide row whose mapped cells are all empty: nothing to write, nothing wrong.
                run.accepted++;
                continue;
            }
            for (Map<String, Object> values : records) {
                batch.add(new Pending(row, values));
            }
            // A row's records go in one batch, so that the row is accepted or rejected as a whole.
            if (batch.size() >= BATCH) {
                write(run, batch);
                batch.clear();
            }
        }
        write(run, batch);
    }

    /** What identifies a record in the file, or null when it has no such fields (or they are empty). */
    private static String keyOf(List<String> keyFields, Map<String, Object> values) {
        if (keyFields.isEmpty()) {
            return null;
        }
        StringBuilder key = new StringBuilder();
        boolean any = false;
        for (String field : keyFields) {
            Object value = values.get(field);
            any |= value != null;
            key.append(value == null ? "" : value).append('\u001f');
        }
        return any ? key.toString() : null;
    }

    /** Why a row is refused for holding a record an earlier line held. */
    private static RowConverter.Problem repeated(Run run, CsvReader.Row row, Map<String, Object> values, long first) {
        List<String> keyFields = run.entity.keyFields();
        if (keyFields.equals(List.of("externalId"))) {
            String id = (String) values.get("externalId");
            String generated = run.converter.generatedFrom("externalId");
            return new RowConverter.Problem(
                    run.converter.columnOf("externalId"),
                    "externalId",
                    id,
                    "'" + id + "'" + (generated == null ? "" : " (" + generated + ")") + " is already on line " + first
                            + "; a file may hold each record once"
                            + (generated != null && generated.startsWith("a hash")
                                    ? ": the two rows have the same " + generated.substring("a hash of ".length())
                                            + "; hash more columns to tell them apart"
                                    : ""));
        }
        List<String> parts = new ArrayList<>();
        for (String field : keyFields) {
            if (values.get(field) != null) {
                parts.add(field + " '" + values.get(field) + "'");
            }
        }
        String field = keyFields.stream()
                .filter(f -> values.get(f) != null && run.converter.columnOf(f) != null)
                .findFirst()
                .orElse(null);
        return new RowConverter.Problem(
                field == null ? null : run.converter.columnOf(field),
                field,
                field == null ? null : run.converter.cellOf(field, row),
                "the same " + run.entity.name().replace('_', ' ').replaceAll("s$", "") + " (" + String.join(", ", parts)
                        + ") is already on line " + first + "; a file may hold each once");
    }

    private void write(Run run, List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        // Rows in batch order, each with the problems of any of its records: a row is accepted or rejected once.
        Map<CsvReader.Row, List<RowConverter.Problem>> rows = new LinkedHashMap<>();
        batch.forEach(p -> rows.putIfAbsent(p.row(), new ArrayList<>(0)));
        if (run.atomic && run.rejected > 0) {
            // Nothing will be kept; the remaining rows are only read for the report.
            run.accepted += rows.size();
            return;
        }
        FieldSource account = run.mapping.fields().get(CsvEntity.ACCOUNT_EXTERNAL_ID);
        List<Pending> ready = batch;
        if (account != null && "contracts".equals(account.via())) {
            ready = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            batch.forEach(p -> ids.add((String) p.values().get(CsvEntity.ACCOUNT_EXTERNAL_ID)));
            Map<String, AccountId> found = resolve(run.accountSource, account, ids);
            for (Pending pending : batch) {
                String id = (String) pending.values().remove(CsvEntity.ACCOUNT_EXTERNAL_ID);
                AccountId owner = found.get(id);
                if (owner == null) {
                    List<RowConverter.Problem> problems = rows.get(pending.row());
                    if (problems.isEmpty()) {
                        problems.add(missingReference(run.accountSource, account, run.converter, pending.row(), id));
                    }
                } else {
                    pending.values().put(CsvEntity.ACCOUNT_ID, owner.value());
                    ready.add(pending);
                }
            }
        }
        ArrayNode nodes = json.createArrayNode();
        ready.forEach(p -> nodes.add(node(p.values())));
        List<Pending> sent = new ArrayList<>(ready);
        BulkResult result = upsert(run, nodes, sent, rows);
        for (BulkResult.RecordResult record : result.results()) {
            Pending pending = sent.get(record.index());
            switch (record.status()) {
                case created -> run.created++;
                case updated -> run.updated++;
                case unchanged -> run.unchanged++;
                case rejected ->
                    record.errors().stream()
                            .map(e -> new RowConverter.Problem(
                                    run.converter.columnOf(e.field()),
                                    e.field(),
                                    run.converter.cellOf(e.field(), pending.row()),
                                    e.reason()))
                            .filter(p -> !rows.get(pending.row()).contains(p))
                            .forEach(rows.get(pending.row())::add);
            }
            if (record.status() != BulkResult.Status.rejected && run.mapping.wide()) {
                run.values++;
            }
        }
        rows.forEach((row, problems) -> {
            if (problems.isEmpty()) {
                run.accepted++;
            } else {
                run.reject(row, problems);
            }
        });
    }

    /** The plan of the contract that carries the ARR an accounts file gave an account. */
    static final String ARR_PLAN = "ARR from accounts file";

    /**
     * Writes accounts, then, for those whose row gave an ARR, the contract that carries it: an account's ARR in
     * Steward is the sum of its active contracts. The first ARR starts a contract on the day of the import (Steward
     * knows nothing of the ARR before); a different ARR in a later file ends that contract the day before and starts
     * the next one, renewing it, so the ARR history keeps each value for the days it held; the same ARR changes
     * nothing. A contract Steward refuses rejects the row, naming the ARR column.
     */
    private BulkResult accountsWithArr(
            Run run, ArrayNode nodes, List<Pending> sent, Map<CsvReader.Row, List<RowConverter.Problem>> rows) {
        Map<Integer, BigDecimal> arrOf = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode arr = ((ObjectNode) nodes.get(i)).remove(CsvEntity.ARR);
            if (arr != null && arr.isNumber()) {
                arrOf.put(i, arr.decimalValue());
            }
        }
        BulkResult result = accounts.upsert(run.source, nodes, false);
        if (arrOf.isEmpty()) {
            return result;
        }
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        ArrayNode contractNodes = json.createArrayNode();
        List<Integer> contractRows = new ArrayList<>();
        for (BulkResult.RecordResult record : result.results()) {
            BigDecimal arr = arrOf.get(record.index());
            if (arr == null || record.status() == BulkResult.Status.rejected || record.id() == null) {
                continue;
            }
            String account = nodes.get(record.index()).path("externalId").asString(null);
            if (account == null) {
                continue;
            }
            Contract current = contracts.ofAccount(new AccountId(record.id())).stream()
                    .filter(c -> run.source.equals(c.source())
                            && c.externalId() != null
                            && c.externalId().startsWith(account + "#arr")
                            && (c.endDate() == null || c.endDate().isAfter(today)))
                    .max(java.util.Comparator.comparing(Contract::startDate))
                    .orElse(null);
            if (current != null && current.arr().compareTo(arr) == 0) {
                continue;
            }
            ObjectNode next = json.createObjectNode();
            if (current != null && !current.startDate().isBefore(today)) {
                // Changed again on the day it started: the day's last value is the day's ARR.
                next.put("externalId", current.externalId())
                        .put("accountExternalId", account)
                        .put("arr", arr);
            } else {
                if (current != null) {
                    ObjectNode ended = json.createObjectNode();
                    ended.put("externalId", current.externalId())
                            .put("accountExternalId", account)
                            .put("endDate", today.toString());
                    contractNodes.add(ended);
                    contractRows.add(record.index());
                }
                next.put("externalId", account + "#arr@" + today)
                        .put("accountExternalId", account)
                        .put("startDate", today.toString())
                        .put("arr", arr)
                        .put("plan", ARR_PLAN)
                        .put("autoRenew", false);
                if (current != null) {
                    next.put("previousContractExternalId", current.externalId());
                }
            }
            contractNodes.add(next);
            contractRows.add(record.index());
        }
        if (contractNodes.isEmpty()) {
            return result;
        }
        BulkResult written = contracts.upsert(run.source, contractNodes, false);
        for (BulkResult.RecordResult record : written.results()) {
            if (record.status() != BulkResult.Status.rejected) {
                continue;
            }
            Pending pending = sent.get(contractRows.get(record.index()));
            record.errors().stream()
                    .map(e -> new RowConverter.Problem(
                            run.converter.columnOf(CsvEntity.ARR),
                            CsvEntity.ARR,
                            run.converter.cellOf(CsvEntity.ARR, pending.row()),
                            "the account was written, but not the contract carrying its ARR: "
                                    + (e.field() == null ? "" : e.field() + " ") + e.reason()))
                    .filter(p -> !rows.get(pending.row()).contains(p))
                    .forEach(rows.get(pending.row())::add);
        }
        return result;
    }

    /** Sends the batch to the module that owns the records; {@code sent} shrinks to the records actually sent. */
    private BulkResult upsert(
            Run run, ArrayNode nodes, List<Pending> sent, Map<CsvReader.Row, List<RowConverter.Problem>> rows) {
        String source = run.source;
        return switch (run.entity) {
            case accounts -> accountsWithArr(run, nodes, sent, rows);
            case contacts -> contacts.upsert(source, nodes, false);
            case contracts -> contracts.upsert(source, nodes, false);
            case opportunities -> opportunities.upsert(source, nodes, false);
            case tickets -> activities.upsertTickets(source, inputs(nodes, sent, rows, TicketInput.class), false);
            case invoices -> activities.upsertInvoices(source, inputs(nodes, sent, rows, InvoiceInput.class), false);
            case meetings -> activities.upsertMeetings(source, inputs(nodes, sent, rows, MeetingInput.class), false);
            case survey_responses ->
                activities.upsertSurveyResponses(source, inputs(nodes, sent, rows, SurveyResponseInput.class), false);
            case churn_events ->
                activities.upsertChurnEvents(source, inputs(nodes, sent, rows, ChurnEventInput.class), false);
            case account_attributes ->
                attributes.upsert(source, inputs(nodes, sent, rows, AttributeInput.class), false);
            case churn_labels -> labels.upsert(source, inputs(nodes, sent, rows, ChurnLabelInput.class), false);
            case usage, usage_events -> throw new IllegalStateException("usage rows take the COPY import");
        };
    }

    private <T> List<T> inputs(
            ArrayNode nodes, List<Pending> sent, Map<CsvReader.Row, List<RowConverter.Problem>> rows, Class<T> type) {
        List<T> inputs = new ArrayList<>(nodes.size());
        List<Pending> kept = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            try {
                inputs.add(json.treeToValue(nodes.get(i), type));
                kept.add(sent.get(i));
            } catch (JacksonException e) {
                rows.get(sent.get(i).row()).add(new RowConverter.Problem(null, null, null, e.getOriginalMessage()));
            }
        }
        sent.clear();
        sent.addAll(kept);
        return inputs;
    }

    private ObjectNode node(Map<String, Object> values) {
        ObjectNode node = json.createObjectNode();
        values.forEach((field, value) -> {
            int dot = field.indexOf('.');
            if (dot > 0) {
                ObjectNode map = node.has(field.substring(0, dot))
                        ? (ObjectNode) node.get(field.substring(0, dot))
                        : node.putObject(field.substring(0, dot));
                map.set(field.substring(dot + 1), json.valueToTree(value));
            } else if (value instanceof BigDecimal decimal) {
                node.put(field, decimal);
            } else if (value instanceof Integer number) {
                node.put(field, number);
            } else if (value instanceof Boolean bool) {
                node.put(field, bool);
            } else if (value instanceof List<?> list) {
                ArrayNode array = node.putArray(field);
                list.forEach(item -> array.add(item.toString()));
            } else {
                node.put(field, value.toString());
            }
        });
        return node;
    }

    // ---- usage rows

    /** What identifies a usage value: rows with the same key are added up when the mapping asks for it. */
    private record UsageKey(AccountId account, LocalDate day, String metric) {}

    private void importUsage(Run run) {
        try (ConvertedRows ahead = new ConvertedRows(run.reader, run.converter, USAGE_BLOCK)) {
            importUsage(run, new UsageRows(run, knownMetrics(), ahead));
        }
    }

    private void importUsage(Run run, UsageRows rows) {
        boolean sum =
                run.entity == CsvEntity.usage_events || run.mapping.duplicatesOrDefault() == CsvMapping.Duplicates.sum;
        Stream<DailyUsage> daily;
        if (sum) {
            // Summing needs every row of a key before the first is written; memory grows with distinct keys.
            Map<UsageKey, double[]> totals = new LinkedHashMap<>();
            rows.forEachRemaining(r ->
                    totals.computeIfAbsent(new UsageKey(r.account(), r.day(), r.metric()), k -> new double[1])[0] +=
                            r.value());
            daily = totals.entrySet().stream()
                    .map(e -> new DailyUsage(
                            e.getKey().account(), e.getKey().day(), e.getKey().metric(), e.getValue()[0]));
            run.combined = totals.size();
        } else {
            daily = StreamSupport.stream(Spliterators.spliteratorUnknownSize(rows, 0), false);
        }
        long changed = usage.importDaily(daily);
        run.changed = changed;
    }

    /**
     * The file's good usage rows, read a block at a time: each block's accounts are looked up in one query, rows are
     * checked (account, metric, value, a key seen before) and the rejected ones reported as they pass.
     */
    private final class UsageRows implements Iterator<DailyUsage> {

        private final Run run;
        private final Set<String> metrics;
        private final boolean rejectRepeats;
        private final LongKeys seen = new LongKeys();
        private final Map<String, AccountId> accountOf = new HashMap<>();
        private final Set<String> missing = new HashSet<>();
        private final Map<AccountId, Integer> accountNumber = new HashMap<>();
        private final Map<String, Integer> metricNumber = new HashMap<>();
        private final ArrayDeque<DailyUsage> ready = new ArrayDeque<>();
        private final FieldSource account;
        private final ConvertedRows ahead;
        private boolean ended;

        UsageRows(Run run, Set<String> metrics, ConvertedRows ahead) {
            this.run = run;
            this.ahead = ahead;
            this.metrics = new HashSet<>(metrics);
            this.metrics.addAll(run.metricsAdded);
            this.rejectRepeats =
                    run.entity == CsvEntity.usage && run.mapping.duplicatesOrDefault() == CsvMapping.Duplicates.reject;
            this.account = run.mapping.fields().get(CsvEntity.ACCOUNT_EXTERNAL_ID);
        }

        @Override
        public boolean hasNext() {
            while (ready.isEmpty() && !ended) {
                readBlock();
            }
            return !ready.isEmpty();
        }

        @Override
        public DailyUsage next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.poll();
        }

        private void readBlock() {
            List<CsvReader.Row> rows = new ArrayList<>(USAGE_BLOCK);
            List<RowConverter.Converted> values = new ArrayList<>(USAGE_BLOCK);
            Set<String> unresolved = new HashSet<>();
            Set<AccountId> byId = new HashSet<>();
            List<ConvertedRows.ConvertedRow> block = ahead.nextBlock();
            ended = block.isEmpty();
            for (ConvertedRows.ConvertedRow item : block) {
                CsvReader.Row row = item.row();
                RowConverter.Converted converted = item.converted();
                run.rows++;
                if (converted.skipped()) {
                    run.skipped++;
                    continue;
                }
                if (!converted.good()) {
                    run.reject(row, converted.problems());
                    continue;
                }
                Object externalId = converted.values().get(CsvEntity.ACCOUNT_EXTERNAL_ID);
                if (externalId != null && !accountOf.containsKey(externalId) && !missing.contains(externalId)) {
                    unresolved.add((String) externalId);
                }
                Object id = converted.values().get(CsvEntity.ACCOUNT_ID);
                if (id != null) {
                    byId.add(new AccountId((UUID) id));
                }
                rows.add(row);
                values.add(converted);
            }
            if (!unresolved.isEmpty()) {
                Map<String, AccountId> found = resolve(run.accountSource, account, unresolved);
                accountOf.putAll(found);
                unresolved.removeAll(found.keySet());
                missing.addAll(unresolved);
            }
            Set<AccountId> existing = byId.isEmpty() ? Set.of() : accounts.existing(byId);
            for (int i = 0; i < rows.size(); i++) {
                accept(rows.get(i), values.get(i), existing);
            }
        }

        private void accept(CsvReader.Row row, RowConverter.Converted converted, Set<AccountId> existing) {
            Map<String, Object> values = converted.values();
            RowConverter converter = run.converter;
            AccountId owner;
            String externalId = (String) values.get(CsvEntity.ACCOUNT_EXTERNAL_ID);
            if (externalId != null) {
                owner = accountOf.get(externalId);
                if (owner == null) {
                    run.reject(row, List.of(missingReference(run.accountSource, account, converter, row, externalId)));
                    return;
                }
            } else if (values.get(CsvEntity.ACCOUNT_ID) != null) {
                owner = new AccountId((UUID) values.get(CsvEntity.ACCOUNT_ID));
                if (!existing.contains(owner)) {
                    run.reject(
                            row, List.of(problem(converter, row, CsvEntity.ACCOUNT_ID, "no account with id " + owner)));
                    return;
                }
            } else {
                run.reject(
                        row,
                        List.of(problem(
                                converter,
                                row,
                                CsvEntity.ACCOUNT_EXTERNAL_ID,
                                "is empty; each row needs its account")));
                return;
            }
            LocalDate day;
            String dayField;
            if (run.entity == CsvEntity.usage) {
                day = (LocalDate) values.get("day");
                dayField = "day";
            } else {
                day = LocalDate.ofInstant((Instant) values.get("occurredAt"), ZoneOffset.UTC);
                dayField = "occurredAt";
            }
            if (day.isBefore(FIRST_DAY) || day.isAfter(LAST_DAY)) {
                run.reject(
                        row,
                        List.of(problem(
                                converter,
                                row,
                                dayField,
                                "is " + day + "; usage days lie between " + FIRST_DAY + " and " + LAST_DAY)));
                return;
            }
            if (converted.wide() != null) {
                acceptWide(row, converted.wide(), owner, day);
                return;
            }
            String metric = (String) values.get("metric");
            if (!metrics.contains(metric)) {
                run.reject(row, List.of(unknownMetric(converter, row, metric, metrics)));
                return;
            }
            BigDecimal amount = (BigDecimal) values.get(run.entity == CsvEntity.usage ? "value" : "count");
            double value = amount == null ? 1 : amount.doubleValue();
            if (!Double.isFinite(value) || value < 0) {
                String field = run.entity == CsvEntity.usage ? "value" : "count";
                run.reject(row, List.of(problem(converter, row, field, "is " + amount + "; usage values are ≥ 0")));
                return;
            }
            if (rejectRepeats && !seen.add(key(owner, metric, day))) {
                run.reject(
                        row,
                        List.of(problem(
                                converter,
                                row,
                                "day",
                                "an earlier row has the same account, metric and day; a file holds each once, or set"
                                        + " duplicates: sum in the mapping to add them up")));
                return;
            }
            run.accepted++;
            ready.add(new DailyUsage(owner, day, metric, value));
        }

        /**
         * A wide row: one value per non-empty mapped cell, all written or (when any cell is wrong) none, each wrong
         * cell named by its column.
         */
        private void acceptWide(CsvReader.Row row, List<RowConverter.WideValue> cells, AccountId owner, LocalDate day) {
            List<RowConverter.Problem> problems = new ArrayList<>(0);
            for (RowConverter.WideValue cell : cells) {
                double value = ((BigDecimal) cell.value()).doubleValue();
                if (!metrics.contains(cell.key())) {
                    problems.add(new RowConverter.Problem(
                            cell.column(),
                            cell.key(),
                            null,
                            "unknown metric '" + cell.key() + "'; add it to the catalog or set createMetrics: true"));
                } else if (!Double.isFinite(value) || value < 0) {
                    problems.add(new RowConverter.Problem(
                            cell.column(),
                            cell.key(),
                            cellAt(row, cell.column()),
                            "is " + cell.value() + "; usage values are ≥ 0"));
                }
            }
            if (problems.isEmpty() && rejectRepeats) {
                for (RowConverter.WideValue cell : cells) {
                    if (!seen.add(key(owner, cell.key(), day))) {
                        problems.add(problem(
                                run.converter,
                                row,
                                "day",
                                "an earlier row has the same account and day; a file holds each once, or set"
                                        + " duplicates: sum in the mapping to add them up"));
                        break;
                    }
                }
            }
            if (!problems.isEmpty()) {
                run.reject(row, problems);
                return;
            }
            run.accepted++;
            run.values += cells.size();
            for (RowConverter.WideValue cell : cells) {
                ready.add(new DailyUsage(owner, day, cell.key(), ((BigDecimal) cell.value()).doubleValue()));
            }
        }

        private String cellAt(CsvReader.Row row, String column) {
            int index = run.reader.header().indexOf(column);
            return index >= 0 && index < row.cells().length ? row.cells()[index] : null;
        }

        private long key(AccountId account, String metric, LocalDate day) {
            long a = accountNumber.computeIfAbsent(account, k -> accountNumber.size());
            int m = metricNumber.computeIfAbsent(metric, k -> metricNumber.size());
            if (m >= 1 << 15) {
                throw new CsvFileException("the file names more than 32,767 different metrics");
            }
            return (a << 32) | ((long) m << 17) | (day.toEpochDay() - FIRST_DAY.toEpochDay());
        }
    }

    private static RowConverter.Problem problem(
            RowConverter converter, CsvReader.Row row, String field, String reason) {
        return new RowConverter.Problem(converter.columnOf(field), field, converter.cellOf(field, row), reason);
    }

    private static RowConverter.Problem unknownMetric(
            RowConverter converter, CsvReader.Row row, String metric, Set<String> known) {
        return problem(
                converter,
                row,
                "metric",
                "unknown metric '" + metric + "'; the catalog has " + String.join(", ", new java.util.TreeSet<>(known))
                        + "; add it to the catalog (POST /api/v1/usage/metrics) or set createMetrics: true in the"
                        + " mapping");
    }

    private Set<String> knownMetrics() {
        Set<String> keys = new HashSet<>();
        usage.metrics().forEach(m -> keys.add(m.key()));
        return keys;
    }

    /** The metrics a wide mapping's columns name that the catalog lacks. */
    private List<String> missingWideMetrics(CsvMapping mapping) {
        Set<String> known = knownMetrics();
        return mapping.columns().values().stream()
                .map(WideColumn::key)
                .filter(key -> !known.contains(key))
                .distinct()
                .toList();
    }

    /** A first pass over the file for the metrics its rows name that the catalog lacks. */
    private List<String> missingMetrics(CsvInput input, CsvEntity entity, CsvMapping mapping) throws IOException {
        Set<String> known = knownMetrics();
        Set<String> missing = new LinkedHashSet<>();
        try (CsvReader reader = input.reader()) {
            RowConverter converter = new RowConverter(entity, mapping, reader.header());
            for (CsvReader.Row row = reader.next(); row != null; row = reader.next()) {
                Object metric = converter.convert(row).values().get("metric");
                if (metric != null && !known.contains(metric)) {
                    missing.add((String) metric);
                }
            }
        }
        return new ArrayList<>(missing);
    }

    private void addMetrics(List<String> keys, String file) {
        for (String key : keys) {
            try {
                usage.addMetric(new UsageMetric(
                        key, key, "Added by the CSV import of " + file, "count", UsageMetric.Aggregation.sum));
            } catch (ConflictException alreadyAdded) {
                // Another import added it meanwhile; that is what was wanted.
            }
        }
    }

    /** Counts what the import wrote in the source's totals and keeps its first rejections in the source's log. */
    private void log(Source source, ImportReport report) {
        List<Rejection> rejections = report.errors().stream()
                .limit(LOGGED_REJECTIONS)
                .map(e -> new Rejection(report.file() + " " + e.where(), e.field(), e.reason(), e.value()))
                .toList();
        sources.received(source, report.accepted(), rejections);
    }

    /** A rejected row as the rejected-rows file has it: the row's cells and the reasons. */
    private record RejectedRow(long line, List<String> cells) {}

    /** The state of one import as it runs. */
    private static final class Run {
        final String source;
        /** The source whose external ids name the accounts rows refer to: the import's own, unless told otherwise. */
        final String accountSource;

        final CsvEntity entity;
        final CsvMapping mapping;
        final CsvReader reader;
        final RowConverter converter;
        final boolean atomic;
        final List<String> metricsAdded = new ArrayList<>();
        final List<ImportReport.RowError> errors = new ArrayList<>();
        final List<RejectedRow> rejectedRows = new ArrayList<>();
        /** Whether every rejected row is kept for the rejected-rows CSV (a file's are; a table's may be millions). */
        boolean keepRejectedRows = true;

        long rows;
        long accepted;
        long rejected;
        long created;
        long updated;
        long unchanged;
        long changed;
        long combined = -1;
        long errorsNotListed;
        /** Rows the mapping's condition left out. */
        long skipped;
        /** Values written from a wide file's cells. */
        long values;

        Run(
                String source,
                String accountSource,
                CsvEntity entity,
                CsvMapping mapping,
                CsvReader reader,
                boolean atomic) {
            this.source = source;
            this.accountSource = accountSource;
            this.entity = entity;
            this.mapping = mapping;
            this.reader = reader;
            this.converter = new RowConverter(entity, mapping, reader.header());
            this.atomic = atomic;
        }

        void reject(CsvReader.Row row, List<RowConverter.Problem> problems) {
            rejected++;
            List<String> reasons = new ArrayList<>();
            for (RowConverter.Problem problem : problems) {
                ImportReport.RowError error = new ImportReport.RowError(
                        row.firstLine(),
                        row.where(),
                        problem.column(),
                        problem.field(),
                        problem.value(),
                        problem.reason());
                reasons.add(error.toString());
                if (errors.size() < ImportReport.LISTED_ERRORS) {
                    errors.add(error);
                } else {
                    errorsNotListed++;
                }
            }
            if (!keepRejectedRows) {
                return;
            }
            List<String> cells = new ArrayList<>(Arrays.asList(row.cells()));
            while (cells.size() < reader.header().size()) {
                cells.add("");
            }
            cells.add(String.join("; ", reasons));
            rejectedRows.add(new RejectedRow(row.firstLine(), cells));
        }

        /**
         * The rejected rows in file order, as CSV in the file's separator, with an error column; cells a spreadsheet
         * would run as formulas are defused ({@link CsvCells}).
         */
        byte[] rejectedCsv() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            List<String> header = new ArrayList<>(reader.header());
            header.add("error");
            try (CSVPrinter printer = CSVFormat.RFC4180
                    .builder()
                    .setDelimiter(reader.layout().separator())
                    .get()
                    .print(new OutputStreamWriter(bytes, StandardCharsets.UTF_8))) {
                printer.printRecord(header.stream().map(CsvCells::defused).toList());
                for (RejectedRow row : sortedRejections()) {
                    printer.printRecord(
                            row.cells().stream().map(CsvCells::defused).toList());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        private List<RejectedRow> sortedRejections() {
            List<RejectedRow> sorted = new ArrayList<>(rejectedRows);
            sorted.sort(Comparator.comparingLong(RejectedRow::line));
            return sorted;
        }

        ImportReport report(String file, boolean written, String fileError, double seconds) {
            boolean usage = entity.isUsage();
            long changedRecords = usage ? changed : created + updated;
            long stored = combined >= 0 ? combined : mapping.wide() ? values : accepted;
            long unchangedRecords = usage ? Math.max(0, stored - changed) : unchanged;
            return new ImportReport(
                    source,
                    entity.name(),
                    file,
                    reader.layout().encoding(),
                    reader.layout().separatorName(),
                    atomic,
                    rows,
                    accepted,
                    rejected,
                    skipped,
                    mapping.wide() && written ? values : null,
                    usage || !written ? null : created,
                    usage || !written ? null : updated,
                    written ? changedRecords : 0,
                    written ? unchangedRecords : 0,
                    metricsAdded.isEmpty() || !written ? null : List.copyOf(metricsAdded),
                    written,
                    summary(written, fileError, changedRecords, unchangedRecords),
                    errors.stream()
                            .sorted(Comparator.comparingLong(ImportReport.RowError::line))
                            .toList(),
                    errorsNotListed,
                    fileError,
                    Math.round(seconds * 1000) / 1000.0);
        }

        private String summary(boolean written, String fileError, long changedRecords, long unchangedRecords) {
            String what = entity.isUsage() ? "usage rows" : "rows";
            if (fileError != null) {
                return "Nothing was written: " + fileError;
            }
            if (!written) {
                return "Nothing was written: " + rejected + " of " + rows + " rows were rejected and the import was"
                        + " all-or-nothing. Fix the rejected rows and import the file again.";
            }
            String combinedNote = combined >= 0 && combined != (mapping.wide() ? values : accepted)
                    ? " (added up to " + combined + " account-metric-day values)"
                    : "";
            String valuesNote = mapping.wide() ? " (" + values + (values == 1 ? " value" : " values") + ")" : "";
            String outcome = "Imported " + accepted + " of " + rows + " " + what + valuesNote + combinedNote + ": "
                    + changedRecords + " new or changed, " + unchangedRecords + " already up to date.";
            if (skipped > 0) {
                outcome += " " + skipped + (skipped == 1 ? " row was" : " rows were")
                        + " skipped (by the mapping's condition).";
            }
            if (rejected == 0) {
                return outcome;
            }
            return outcome + " " + rejected + (rejected == 1 ? " row was" : " rows were")
                    + " rejected and not written; the good rows were imported. Fix the rejected rows (download them"
                    + " as CSV) and import them again: rows already imported are updated, never duplicated.";
        }
    }
}
