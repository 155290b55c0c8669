package dev.steward.ingest.hubspot;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HubSpot as {@code bench crm} plays it on WireMock: the CRM v3 lists of companies (every tenth the parent of the nine
 * after it), contacts (of a company, with a buying role) and deals (with their company), generated from their number
 * and answered in HubSpot's documented JSON, 100 a page with {@code paging.next.after}; and HubSpot's limit for a
 * private app enforced per token: more than {@value #LIMIT} requests in any 10 seconds are answered {@code 429} with
 * HubSpot's error and a {@code Retry-After}, and counted.
 */
final class FakeHubspot implements AutoCloseable {

    /** The requests HubSpot allows a private app in any 10 seconds. */
    static final int LIMIT = 100;

    private static final long WINDOW_NANOS = 10_000_000_000L;
    private static final Instant CREATED = Instant.parse("2025-06-01T10:00:00Z");
    private static final String[] ROLES = {"CHAMPION", "END_USER", "DECISION_MAKER", "", "BUDGET_HOLDER"};
    private static final String[] STAGES = {"appointmentscheduled", "closedwon", "contractsent", "closedlost"};
    private static final String[] TYPES = {"newbusiness", "existingbusiness", "Renewal"};

    /** One private app's data: how many of each, and a tag that keeps its domains and emails its own. */
    record Portal(String tag, int companies, int contacts, int deals) {

        int records() {
            return companies + contacts + deals;
        }
    }

    /** What a token's private app was asked: the requests answered, and those refused for passing the limit. */
    static final class Traffic {
        private final Deque<Long> window = new ArrayDeque<>();
        private long answered;
        private long refused;
        private long first;
        private long last;

        /** Whether a request now stays within the limit; counted either way. */
        synchronized boolean admit(long now) {
            while (!window.isEmpty() && window.peekFirst() <= now - WINDOW_NANOS) {
                window.removeFirst();
            }
            if (window.size() >= LIMIT) {
                refused++;
                return false;
            }
            window.addLast(now);
            if (answered == 0) {
                first = now;
            }
            last = now;
            answered++;
            return true;
        }

        /** Seconds from the first request answered to the last. */
        synchronized double span() {
            return (last - first) / 1e9;
        }

        synchronized long answered() {
            return answered;
        }

        synchronized long refused() {
            return refused;
        }
    }

    private final Map<String, Portal> portals = new ConcurrentHashMap<>();
    private final Map<String, Traffic> traffic = new ConcurrentHashMap<>();
    private final WireMockServer server;

    FakeHubspot() {
        server = new WireMockServer(options()
                .dynamicPort()
                .bindAddress("127.0.0.1")
                .disableRequestJournal()
                .extensions(new Answers()));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(ok()));
    }

    /** Where HubSpot's API is. */
    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Serves a private app's data to its token. */
    void add(String token, Portal portal) {
        portals.put(token, portal);
        traffic.put(token, new Traffic());
    }

    Traffic traffic(String token) {
        return traffic.get(token);
    }

    @Override
    public void close() {
        server.stop();
    }

    /** Every answer: the limit first, then the list asked for. */
    private final class Answers implements ResponseDefinitionTransformerV2 {

        @Override
        public String getName() {
            return "hubspot";
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            Request request = event.getRequest();
            String authorization = request.getHeader("Authorization");
            String token = authorization == null ? "" : authorization.replaceFirst("^Bearer ", "");
            Portal portal = portals.get(token);
            if (portal == null) {
                return json(401, """
                        {"status": "error", "message": "Authentication credentials not found.",
                         "correlationId": "0", "category": "INVALID_AUTHENTICATION"}""");
            }
            if (!traffic.get(token).admit(System.nanoTime())) {
                return new ResponseDefinitionBuilder()
                        .withStatus(429)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("Retry-After", "1")
                        .withBody("""
                                {"status": "error", "message": "You have reached your ten_secondly_rolling limit.",
                                 "errorType": "RATE_LIMIT", "correlationId": "0", "policyName": "TEN_SECONDLY_ROLLING",
                                 "groupName": "publicapi:private-app:bench"}""")
                        .build();
            }
            String path = request.getUrl().replaceFirst("\\?.*$", "");
            QueryParameter after = request.queryParameter("after");
            int from = after.isPresent() ? Integer.parseInt(after.firstValue()) : 0;
            return switch (path) {
                case "/crm/v3/objects/companies" -> page(portal.companies(), from, i -> company(portal, i));
                case "/crm/v3/objects/contacts" -> page(portal.contacts(), from, i -> contact(portal, i));
                case "/crm/v3/objects/deals" -> page(portal.deals(), from, i -> deal(portal, i));
                default -> json(404, """
                        {"status": "error", "message": "Unable to infer object type from: %s",
                         "correlationId": "0", "category": "OBJECT_NOT_FOUND"}""".formatted(path));
            };
        }
    }

    private static ResponseDefinition page(int count, int from, java.util.function.IntFunction<String> record) {
        int to = Math.min(count, from + HubspotPulls.PAGE);
        StringBuilder body = new StringBuilder(64 * 1024).append("{\"results\": [");
        for (int i = from; i < to; i++) {
            if (i > from) {
                body.append(',');
            }
            body.append(record.apply(i + 1));
        }
        body.append(']');
        if (to < count) {
            body.append(", \"paging\": {\"next\": {\"after\": \"")
                    .append(to)
                    .append("\", \"link\": \"https://api.hubapi.com/crm/v3/objects?after=")
                    .append(to)
                    .append("\"}}");
        }
        return json(200, body.append('}').toString());
    }

    private static String company(Portal portal, int i) {
        int head = i - (i - 1) % 10;
        String parent = head == i ? "null" : "\"" + head + "\"";
        return record(i, """
                "name": "Company %d", "domain": "c%d.%s.example", "website": null, "hs_parent_company_id": %s,
                 "hs_lastmodifieddate": "%s\"""".formatted(i, i, portal.tag(), parent, modified(i)), "");
    }

    private static String contact(Portal portal, int i) {
        int company = (i - 1) % portal.companies() + 1;
        return record(
                i, """
                "firstname": "First%d", "lastname": "Last%d", "email": "p%d@c%d.%s.example", "phone": null,
                 "jobtitle": "Operations lead", "hs_buying_role": "%s", "associatedcompanyid": "%d",
                 "lastmodifieddate": "%s\"""".formatted(i, i, i, company, portal.tag(), ROLES[i % ROLES.length], company, modified(i)), "");
    }

    private static String deal(Portal portal, int i) {
        int company = (i - 1) % portal.companies() + 1;
        return record(
                i,
                """
                "dealname": "Deal %d", "amount": "%d.50", "closedate": "2026-%02d-28T00:00:00.000Z",
                 "dealstage": "%s", "pipeline": "default", "dealtype": "%s", "hs_lastmodifieddate": "%s\"""".formatted(
                                i,
                                1_000 + (i * 37) % 90_000,
                                i % 12 + 1,
                                STAGES[i % STAGES.length],
                                TYPES[i % TYPES.length],
                                modified(i)),
                """
                , "associations": {"companies": {"results": [{"id": "%d", "type": "deal_to_company"},
                  {"id": "%d", "type": "deal_to_company_unlabeled"}]}}""".formatted(company, company));
    }

    private static String record(int id, String properties, String rest) {
        return """
                {"id": "%d", "properties": {%s, "createdate": "%s", "hs_object_id": "%d"},
                 "createdAt": "%s", "updatedAt": "%s", "archived": false%s}""".formatted(id, properties, CREATED, id, CREATED, modified(id), rest);
    }

    private static String modified(int i) {
        return CREATED.plusSeconds(i).toString();
    }

    private static ResponseDefinition json(int status, String body) {
        return new ResponseDefinitionBuilder()
                .withStatus(status)
                .withHeader("Content-Type", "application/json;charset=utf-8")
                .withHeader("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")
                .withHeader("X-HubSpot-RateLimit-Max", Integer.toString(LIMIT))
                .withBody(body)
                .build();
    }
}
