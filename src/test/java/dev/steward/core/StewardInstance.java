package dev.steward.core;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.event.SchedulerListener;
import dev.steward.StewardApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One complete Steward application on a database a test chose, as one of several instances sharing it: its own web
 * server on a free port, its own job scheduler, observed by the test from before it starts.
 */
public record StewardInstance(String name, ConfigurableApplicationContext context) implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /**
     * Starts an instance on {@code database} with the scheduler's events going to {@code listener}; {@code processors}
     * see every bean before it is used, {@code arguments} add to or override the settings.
     */
    public static StewardInstance start(
            String name,
            String database,
            SchedulerListener listener,
            List<BeanPostProcessor> processors,
            String... arguments) {
        List<BeanPostProcessor> all = new ArrayList<>(processors);
        // Registered before the scheduler starts: its listeners are not meant to change while it runs.
        all.add(new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof Scheduler scheduler) {
                    scheduler.registerSchedulerListener(listener);
                }
                return bean;
            }
        });
        ApplicationContextInitializer<ConfigurableApplicationContext> observe =
                context -> all.forEach(context.getBeanFactory()::addBeanPostProcessor);
        List<String> settings = new ArrayList<>(List.of(
                "--server.port=0",
                "--steward.database.url=" + database,
                "--steward.database.username=" + TestDatabase.username(),
                "--steward.database.password=" + TestDatabase.password(),
                "--steward.database.pool-size=6",
                "--steward.demo.load-on-start=false",
                "--steward.admin.password=several-instances-test-password",
                "--steward.health.shipped-scorecards=" + StewardTest.SEGMENT_SCORECARDS));
        settings.addAll(List.of(arguments));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(StewardApplication.class)
                .initializers(observe)
                .run(settings.toArray(String[]::new));
        return new StewardInstance(name, context);
    }

    public Scheduler scheduler() {
        return context.getBean(Scheduler.class);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** The status of a GET of {@code path}, without signing in. */
    public int get(String path) throws Exception {
        int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Override
    public void close() {
        context.close();
    }
}
