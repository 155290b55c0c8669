package dev.steward.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amplitude.Amplitude;
import com.amplitude.AmplitudeCallbacks;
import com.amplitude.Event;
import dev.steward.core.TestClock;
import dev.steward.core.TestDatabase;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.usage.UsageRecorder;
import dev.steward.usage.UsageSeries;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.json.JSONObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.ObjectMapper;

/**
 * The Amplitude endpoint as Amplitude's own Java library sends to it. The library opens only HTTPS connections, so
 * the server here speaks TLS with a self-signed certificate for localhost ({@code src/test/resources/tls}, made for
 * these tests only), which the library is made to trust while the test runs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestDatabase.class)
@Import(TestClock.class)
@TestPropertySource(
        properties = {
            "steward.demo.load-on-start=false",
            "steward.admin.password=admin-test-password",
            "server.ssl.certificate=classpath:tls/localhost.crt",
            "server.ssl.certificate-private-key=classpath:tls/localhost.key"
        })
@Tag("postgres")
class AmplitudeLibraryTests {

    @LocalServerPort
    int port;

    @Autowired
    SourceAdministration administration;

    @Autowired
    WriteKeys writeKeys;

    @Autowired
    SegmentProcessor processor;

    @Autowired
    AccountManagement accounts;

    @Autowired
    UsageRecorder usage;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Clock clock;

    @Autowired
    ObjectMapper json;

    @Test
    void amplitudesJavaLibraryDeliversToSteward() throws Exception {
        administration.create(new SourceAdministration.NewSource(
                "amplitude-library",
                Source.Kind.segment,
                json.readTree("{\"events\": {\"Report Created\": \"feature.reports\"}}"),
                null));
        String key = writeKeys.create("amplitude-library", "test").writeKey();
        SSLContext tls = trusting("tls/localhost.crt");
        HttpResponse<String> group = HttpClient.newBuilder()
                .sslContext(tls)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/v1/group"))
                                .header("Authorization", TrackingApiTests.basic(key))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"userId\": \"amp-lib-ada\", \"groupId\": \"amp-lib-acme\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(group.statusCode()).as(group.body()).isEqualTo(200);

        SSLSocketFactory before = HttpsURLConnection.getDefaultSSLSocketFactory();
        HttpsURLConnection.setDefaultSSLSocketFactory(tls.getSocketFactory());
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        List<String> insertIds = new ArrayList<>();
        try {
            CountDownLatch done = new CountDownLatch(2);
            Amplitude amplitude = Amplitude.getInstance("steward-compatibility");
            amplitude.init(key);
            amplitude.setServerUrl("https://localhost:" + port + "/2/httpapi");
            amplitude.setCallbacks(new AmplitudeCallbacks() {
                @Override
                public void onLogEventServerResponse(Event event, int status, String message) {
                    statuses.add(status);
                    done.countDown();
                }
            });
            for (String report : List.of("Churn", "Renewals")) {
                Event event = new Event("Report Created", "amp-lib-ada");
                // The library stamps events with the machine's time, and Amplitude sends no time of sending by which
                // Steward could correct it as it does Segment's: the test's fixed clock is set instead.
                event.timestamp = clock.millis();
                event.insertId = "amp-lib-" + report;
                event.eventProperties = new JSONObject().put("report", report);
                event.groups = new JSONObject().put("company_id", "amp-lib-acme");
                insertIds.add(event.insertId);
                amplitude.logEvent(event);
            }
            amplitude.flushEvents();
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            amplitude.shutdown();
        } finally {
            HttpsURLConnection.setDefaultSSLSocketFactory(before);
        }
        assertThat(statuses).containsExactly(200, 200);
        for (String insertId : insertIds) {
            assertThat(jdbc.sql("select count(*) from segment_event where message_id = ?")
                            .param(insertId)
                            .query(Long.class)
                            .single())
                    .isEqualTo(1);
        }

        processor.processPending();
        AccountId acme =
                accounts.resolve("amplitude-library", List.of("amp-lib-acme")).get("amp-lib-acme");
        Map<String, Long> values = new TreeMap<>();
        LocalDate today = LocalDate.now(clock);
        for (UsageSeries series : usage.series(acme, null, today, today)) {
            for (UsageSeries.Point point : series.points()) {
                values.put(series.metric(), point.value().longValueExact());
            }
        }
        assertThat(values).containsEntry("feature.reports", 2L).containsEntry("active_users", 1L);
    }

    /** TLS that trusts the one certificate given. */
    static SSLContext trusting(String certificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = AmplitudeLibraryTests.class.getClassLoader().getResourceAsStream(certificate)) {
            trusted.setCertificateEntry(
                    "localhost", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
