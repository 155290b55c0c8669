package dev.steward.core;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Values noted during a transaction, written once just before it commits: how a module keeps a queue of work that
 * follows other modules' writes (accounts to re-score, accounts whose segments to evaluate). The queue's rows are
 * stored with the writes that caused them or not at all, and a burst of notes in one transaction costs one insert.
 * Noted outside a transaction, values are written at once; an inner transaction of its own ({@code REQUIRES_NEW})
 * collects apart and writes when it commits.
 *
 * @param <T> what is noted, such as an account id
 */
public final class NotedBeforeCommit<T> {

    private final Consumer<Set<T>> write;

    /** {@code write} stores the values noted in one transaction; it runs in that transaction, before it commits. */
    public NotedBeforeCommit(Consumer<Set<T>> write) {
        this.write = write;
    }

    /** Notes the values, to be written with the current transaction if there is one, else at once. */
    @SuppressWarnings("unchecked")
    public void note(Collection<T> values) {
        if (values.isEmpty()) {
            return;
        }
        if (!TransactionSynchronizationManager.isActualTransactionActive()
                || !TransactionSynchronizationManager.isSynchronizationActive()) {
            write.accept(new LinkedHashSet<>(values));
            return;
        }
        Set<T> noted = (Set<T>) TransactionSynchronizationManager.getResource(this);
        if (noted == null) {
            Set<T> batch = new LinkedHashSet<>();
            TransactionSynchronizationManager.bindResource(this, batch);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    write.accept(batch);
                }

                @Override
                public void suspend() {
                    TransactionSynchronizationManager.unbindResource(NotedBeforeCommit.this);
                }

                @Override
                public void resume() {
                    TransactionSynchronizationManager.bindResource(NotedBeforeCommit.this, batch);
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(NotedBeforeCommit.this);
                }
            });
            noted = batch;
        }
        noted.addAll(values);
    }
}
