package dev.steward.core;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * An integration test of the whole application on a real, empty PostgreSQL database (see {@link TestDatabase}),
 * with MockMvc, at a fixed time (see {@link TestClock}). Tagged {@code postgres}: CI runs these a second time against
 * the machine's PostgreSQL 15.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest
@AutoConfigureMockMvc
@ContextConfiguration(initializers = TestDatabase.class)
@Import(TestClock.class)
@TestPropertySource(properties = {"steward.demo.load-on-start=false", "steward.admin.password=admin-test-password"})
@Tag("postgres")
public @interface StewardTest {}
