package dev.steward.ingest.csv;

import dev.steward.activity.ActivityRecorder;
import dev.steward.activity.ChurnEventInput;
import dev.steward.activity.InvoiceInput;
import dev.steward.activity.MeetingInput;
import dev.steward.activity.SurveyResponseInput;
import dev.steward.activity.TicketInput;
import dev.steward.core.BulkResult;
import dev.steward.core.ConflictException;
import dev.steward.core.CsvCells;
import dev.steward.core.FieldError;
import dev.steward.core.InvalidInputException;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.customer.ContactManagement;
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
    private final Sources sources;
    private final ObjectMapper json;
    private final TransactionTemplate transactions;

    CsvImporter(
            AccountManagement accounts,
            ContactManagement contacts,
            ContractManagement contracts,
            OpportunityManagement opportunities,
            ActivityRecorder activities,
            UsageRecorder usage,
            Sources sources,
            ObjectMapper json,
            PlatformTransactionManager transactionManager) {
        this.accounts = accounts;
        this.contacts = contacts;
        this.contracts = contracts;
        this.opportunities = opportunities;
        this.activities = activities;
        this.usage = usage;
        this.sources = sources;
        this.json = json;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** The report and the rejected rows as CSV (the file's columns and an {@code error} column). */
    record Outcome(ImportReport report, byte[] rejectedCsv) {}

    /**
     * Imports the file. A mapping that does not fit the file is refused before anything is read ({@link
     * InvalidInputException} naming each field); a file that cannot be read to its end writes nothing.
     */
    Outcome run(Source source, CsvEntity entity, CsvInput input, CsvMapping mapping, boolean atomic)
            throws IOException {
        long started = System.nanoTime();
        try (CsvReader reader = CsvReader.open(input)) {
            List<FieldError> problems = mapping.problems(entity, reader.header());
            if (!problems.isEmpty()) {
                throw new InvalidInputException(problems);
            }
            Run run = new Run(source.name(), entity, mapping, reader, atomic);
            String fileError = null;
            try {
                if (entity.isUsage() && mapping.createsMetrics()) {
                    run.metricsAdded.addAll(missingMetrics(input, entity, mapping));
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

    /** Reads the first rows for a preview: each converted and checked as the import would. */
    List<PreviewRow> preview(Source source, CsvEntity entity, CsvReader reader, CsvMapping mapping, int limit) {
        RowConverter converter = new RowConverter(entity, mapping, reader.header());
        List<PreviewRow> rows = new ArrayList<>();
        Set<String> metrics = entity.isUsage() ? knownMetrics() : Set.of();
        CsvReader.Row row;
        while (rows.size() < limit && (row = reader.next()) != null) {
            RowConverter.Converted converted = converter.convert(row);
            List<RowConverter.Problem> problems = new ArrayList<>(converted.problems());
            if (converted.good() && entity.isUsage()) {
                Object metric = converted.values().get("metric");
                if (metric != null && !metrics.contains(metric) && !mapping.createsMetrics()) {
                    problems.add(unknownMetric(converter, row.cells(), (String) metric, metrics));
                }
            }
            rows.add(new PreviewRow(row, converted.values(), problems));
        }
        resolveReferences(source.name(), mapping, converter, rows);
        return rows;
    }

    /** A row of the preview: the cells, the values read from them and what is wrong. */
    record PreviewRow(CsvReader.Row row, Map<String, Object> values, List<RowConverter.Problem> problems) {}

    /** Checks in the preview that the accounts (or contracts) rows refer to exist, as the import will. */
    private void resolveReferences(String source, CsvMapping mapping, RowConverter converter, List<PreviewRow> rows) {
        FieldSource account = mapping.fields().get(CsvEntity.ACCOUNT_EXTERNAL_ID);
        if (account == null) {
            return;
        }
        Set<String> ids = new HashSet<>();
        rows.stream()
                .filter(r -> r.problems().isEmpty())
                .map(r -> (String) r.values().get(CsvEntity.ACCOUNT_EXTERNAL_ID))
                .filter(java.util.Objects::nonNull)
                .forEach(ids::add);
        Map<String, AccountId> found = resolve(source, account, ids);
        for (PreviewRow row : rows) {
            String id = (String) row.values().get(CsvEntity.ACCOUNT_EXTERNAL_ID);
            if (row.problems().isEmpty() && id != null && !found.containsKey(id)) {
                row.problems()
                        .add(missingReference(
                                source, account, converter, row.row().cells(), id));
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
            String source, FieldSource account, RowConverter converter, String[] cells, String id) {
        boolean viaContracts = "contracts".equals(account.via());
        String reason = viaContracts
                ? "no contract has external id '" + id + "' in source '" + source
                        + "'; import the contracts (subscriptions) first"
                : "no account has external id '" + id + "' in source '" + source + "'; import the accounts first";
        return new RowConverter.Problem(
                converter.columnOf(CsvEntity.ACCOUNT_EXTERNAL_ID),
                CsvEntity.ACCOUNT_EXTERNAL_ID,
                converter.cellOf(CsvEntity.ACCOUNT_EXTERNAL_ID, cells),
                reason);
    }

    // ---- records: accounts, contacts, contracts, opportunities and activity facts

    /** A good row waiting for its batch to be written. */
    private record Pending(CsvReader.Row row, Map<String, Object> values) {}

    private void importRecords(Run run) {
        Map<String, Long> firstLineOf = new HashMap<>();
        List<Pending> batch = new ArrayList<>(BATCH);
        for (CsvReader.Row row = run.reader.next(); row != null; row = run.reader.next()) {
            run.rows++;
            RowConverter.Converted converted = run.converter.convert(row);
            if (!converted.good()) {
                run.reject(row, converted.problems());
                continue;
            }
            Object externalId = converted.values().get("externalId");
            if (externalId != null) {
                Long first = firstLineOf.putIfAbsent((String) externalId, row.firstLine());
                if (first != null) {
                    run.reject(
                            row,
                            List.of(new RowConverter.Problem(
                                    run.converter.columnOf("externalId"),
                                    "externalId",
                                    (String) externalId,
                                    "'" + externalId + "' is already on line " + first
                                            + "; a file may hold each record once")));
                    continue;
                }
            }
            batch.add(new Pending(row, converted.values()));
            if (batch.size() == BATCH) {
                write(run, batch);
                batch.clear();
            }
        }
        write(run, batch);
    }

    private void write(Run run, List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        if (run.atomic && run.rejected > 0) {
            // Nothing will be kept; the remaining rows are only read for the report.
            run.accepted += batch.size();
            return;
        }
        FieldSource account = run.mapping.fields().get(CsvEntity.ACCOUNT_EXTERNAL_ID);
        List<Pending> ready = batch;
        if (account != null && "contracts".equals(account.via())) {
            ready = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            batch.forEach(p -> ids.add((String) p.values().get(CsvEntity.ACCOUNT_EXTERNAL_ID)));
            Map<String, AccountId> found = resolve(run.source, account, ids);
            for (Pending pending : batch) {
                String id = (String) pending.values().remove(CsvEntity.ACCOUNT_EXTERNAL_ID);
                AccountId owner = found.get(id);
                if (owner == null) {
                    run.reject(
                            pending.row(),
                            List.of(missingReference(
                                    run.source,
                                    account,
                                    run.converter,
                                    pending.row().cells(),
                                    id)));
                } else {
                    pending.values().put(CsvEntity.ACCOUNT_ID, owner.value());
                    ready.add(pending);
                }
            }
        }
        ArrayNode nodes = json.createArrayNode();
        ready.forEach(p -> nodes.add(node(p.values())));
        List<Pending> sent = new ArrayList<>(ready);
        BulkResult result = upsert(run, nodes, sent);
        for (BulkResult.RecordResult record : result.results()) {
            Pending pending = sent.get(record.index());
            switch (record.status()) {
                case created -> run.created++;
                case updated -> run.updated++;
                case unchanged -> run.unchanged++;
                case rejected -> {
                    run.reject(
                            pending.row(),
                            record.errors().stream()
                                    .map(e -> new RowConverter.Problem(
                                            run.converter.columnOf(e.field()),
                                            e.field(),
                                            run.converter.cellOf(
                                                    e.field(), pending.row().cells()),
                                            e.reason()))
                                    .toList());
                    continue;
                }
            }
            run.accepted++;
        }
    }

    /** Sends the batch to the module that owns the records; {@code sent} shrinks to the records actually sent. */
    private BulkResult upsert(Run run, ArrayNode nodes, List<Pending> sent) {
        String source = run.source;
        return switch (run.entity) {
            case accounts -> accounts.upsert(source, nodes, false);
            case contacts -> contacts.upsert(source, nodes, false);
            case contracts -> contracts.upsert(source, nodes, false);
            case opportunities -> opportunities.upsert(source, nodes, false);
            case tickets -> activities.upsertTickets(source, inputs(run, nodes, sent, TicketInput.class), false);
            case invoices -> activities.upsertInvoices(source, inputs(run, nodes, sent, InvoiceInput.class), false);
            case meetings -> activities.upsertMeetings(source, inputs(run, nodes, sent, MeetingInput.class), false);
            case survey_responses ->
                activities.upsertSurveyResponses(source, inputs(run, nodes, sent, SurveyResponseInput.class), false);
            case churn_events ->
                activities.upsertChurnEvents(source, inputs(run, nodes, sent, ChurnEventInput.class), false);
            case usage, usage_events -> throw new IllegalStateException("usage rows take the COPY import");
        };
    }

    private <T> List<T> inputs(Run run, ArrayNode nodes, List<Pending> sent, Class<T> type) {
        List<T> inputs = new ArrayList<>(nodes.size());
        List<Pending> kept = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            try {
                inputs.add(json.treeToValue(nodes.get(i), type));
                kept.add(sent.get(i));
            } catch (JacksonException e) {
                run.reject(
                        sent.get(i).row(), List.of(new RowConverter.Problem(null, null, null, e.getOriginalMessage())));
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
            List<Map<String, Object>> values = new ArrayList<>(USAGE_BLOCK);
            Set<String> unresolved = new HashSet<>();
            Set<AccountId> byId = new HashSet<>();
            List<ConvertedRows.ConvertedRow> block = ahead.nextBlock();
            ended = block.isEmpty();
            for (ConvertedRows.ConvertedRow item : block) {
                CsvReader.Row row = item.row();
                RowConverter.Converted converted = item.converted();
                run.rows++;
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
                values.add(converted.values());
            }
            if (!unresolved.isEmpty()) {
                Map<String, AccountId> found = resolve(run.source, account, unresolved);
                accountOf.putAll(found);
                unresolved.removeAll(found.keySet());
                missing.addAll(unresolved);
            }
            Set<AccountId> existing = byId.isEmpty() ? Set.of() : accounts.existing(byId);
            for (int i = 0; i < rows.size(); i++) {
                accept(rows.get(i), values.get(i), existing);
            }
        }

        private void accept(CsvReader.Row row, Map<String, Object> values, Set<AccountId> existing) {
            String[] cells = row.cells();
            RowConverter converter = run.converter;
            AccountId owner;
            String externalId = (String) values.get(CsvEntity.ACCOUNT_EXTERNAL_ID);
            if (externalId != null) {
                owner = accountOf.get(externalId);
                if (owner == null) {
                    run.reject(row, List.of(missingReference(run.source, account, converter, cells, externalId)));
                    return;
                }
            } else if (values.get(CsvEntity.ACCOUNT_ID) != null) {
                owner = new AccountId((UUID) values.get(CsvEntity.ACCOUNT_ID));
                if (!existing.contains(owner)) {
                    run.reject(
                            row,
                            List.of(problem(converter, cells, CsvEntity.ACCOUNT_ID, "no account with id " + owner)));
                    return;
                }
            } else {
                run.reject(
                        row,
                        List.of(problem(
                                converter,
                                cells,
                                CsvEntity.ACCOUNT_EXTERNAL_ID,
                                "is empty; each row needs its account")));
                return;
            }
            String metric = (String) values.get("metric");
            if (!metrics.contains(metric)) {
                run.reject(row, List.of(unknownMetric(converter, cells, metric, metrics)));
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
                                cells,
                                dayField,
                                "is " + day + "; usage days lie between " + FIRST_DAY + " and " + LAST_DAY)));
                return;
            }
            BigDecimal amount = (BigDecimal) values.get(run.entity == CsvEntity.usage ? "value" : "count");
            double value = amount == null ? 1 : amount.doubleValue();
            if (!Double.isFinite(value) || value < 0) {
                String field = run.entity == CsvEntity.usage ? "value" : "count";
                run.reject(row, List.of(problem(converter, cells, field, "is " + amount + "; usage values are ≥ 0")));
                return;
            }
            if (rejectRepeats && !seen.add(key(owner, metric, day))) {
                run.reject(
                        row,
                        List.of(problem(
                                converter,
                                cells,
                                "day",
                                "an earlier row has the same account, metric and day; a file holds each once, or set"
                                        + " duplicates: sum in the mapping to add them up")));
                return;
            }
            run.accepted++;
            ready.add(new DailyUsage(owner, day, metric, value));
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

    private static RowConverter.Problem problem(RowConverter converter, String[] cells, String field, String reason) {
        return new RowConverter.Problem(converter.columnOf(field), field, converter.cellOf(field, cells), reason);
    }

    private static RowConverter.Problem unknownMetric(
            RowConverter converter, String[] cells, String metric, Set<String> known) {
        return problem(
                converter,
                cells,
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

    /** A first pass over the file for the metrics its rows name that the catalog lacks. */
    private List<String> missingMetrics(CsvInput input, CsvEntity entity, CsvMapping mapping) throws IOException {
        Set<String> known = knownMetrics();
        Set<String> missing = new LinkedHashSet<>();
        try (CsvReader reader = CsvReader.open(input)) {
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
        final CsvEntity entity;
        final CsvMapping mapping;
        final CsvReader reader;
        final RowConverter converter;
        final boolean atomic;
        final List<String> metricsAdded = new ArrayList<>();
        final List<ImportReport.RowError> errors = new ArrayList<>();
        final List<RejectedRow> rejectedRows = new ArrayList<>();
        long rows;
        long accepted;
        long rejected;
        long created;
        long updated;
        long unchanged;
        long changed;
        long combined = -1;
        long errorsNotListed;

        Run(String source, CsvEntity entity, CsvMapping mapping, CsvReader reader, boolean atomic) {
            this.source = source;
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
            long unchangedRecords = usage ? Math.max(0, (combined >= 0 ? combined : accepted) - changed) : unchanged;
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
            String combinedNote = combined >= 0 && combined != accepted
                    ? " (added up to " + combined + " account-metric-day values)"
                    : "";
            String outcome = "Imported " + accepted + " of " + rows + " " + what + combinedNote + ": " + changedRecords
                    + " new or changed, " + unchangedRecords + " already up to date.";
            if (rejected == 0) {
                return outcome;
            }
            return outcome + " " + rejected + (rejected == 1 ? " row was" : " rows were")
                    + " rejected and not written; the good rows were imported. Fix the rejected rows (download them"
                    + " as CSV) and import them again: rows already imported are updated, never duplicated.";
        }
    }
}
