package dev.steward.core;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.springframework.test.context.BootstrapUtils;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Runs the test classes that share an application context one after the other, in order of their names otherwise.
 * Spring keeps at most ten contexts (see {@code spring.properties}); in name order alone, the classes of one context
 * are spread among those of thirty others, and a context pushed out by ten others is started again — a new database,
 * its migrations and the application — each time its next class comes. Grouped, each context starts once. The key is
 * the one Spring caches contexts by: the class's merged context configuration.
 */
public class ContextGroups implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        List<? extends ClassDescriptor> classes = context.getClassDescriptors();
        classes.sort(Comparator.comparing(c -> c.getTestClass().getName()));
        Map<Object, Integer> groups = new LinkedHashMap<>();
        Map<Class<?>, Integer> groupOf = new HashMap<>();
        for (ClassDescriptor descriptor : classes) {
            Object key = key(descriptor.getTestClass());
            groupOf.put(descriptor.getTestClass(), groups.computeIfAbsent(key, k -> groups.size()));
        }
        classes.sort(Comparator.comparing((ClassDescriptor c) -> groupOf.get(c.getTestClass()))
                .thenComparing(c -> c.getTestClass().getName()));
    }

    /** Spring's cache key for the class's context; the class itself for a class without one (a unit test). */
    private static Object key(Class<?> testClass) {
        try {
            MergedContextConfiguration configuration =
                    BootstrapUtils.resolveTestContextBootstrapper(testClass).buildMergedContextConfiguration();
            return configuration.getClasses().length == 0 && configuration.getLocations().length == 0
                    ? testClass
                    : configuration;
        } catch (RuntimeException e) {
            return testClass;
        }
    }
}
