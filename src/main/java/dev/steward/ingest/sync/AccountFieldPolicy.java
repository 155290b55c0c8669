package dev.steward.ingest.sync;

import dev.steward.customer.Account;
import dev.steward.customer.AccountId;
import dev.steward.customer.AccountManagement;
import dev.steward.ingest.csv.ImportTargets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A CRM's account records made ready to write under their field mapping's conflict policy: a field Steward wins is left
 * out where the account has a value, and the custom fields a record fills are merged into the account's others (an
 * empty one removed), so that a pull never drops a custom field it does not map.
 */
@Service
public class AccountFieldPolicy {

    private final AccountManagement accounts;

    AccountFieldPolicy(AccountManagement accounts) {
        this.accounts = accounts;
    }

    /** Settles the records ({@code externalId} their company's id in {@code source}) against the accounts they update. */
    public void settle(String source, List<ObjectNode> records, FieldMapping mapping) {
        Map<String, ObjectNode> byId = new LinkedHashMap<>();
        records.forEach(r -> byId.put(r.path("externalId").asString(""), r));
        Map<String, AccountId> ids = accounts.resolve(source, byId.keySet());
        Map<AccountId, Account> stored = new HashMap<>();
        if (!ids.isEmpty()) {
            accounts.findAll(ids.values()).forEach(a -> stored.put(a.id(), a));
        }
        byId.forEach((id, record) -> {
            AccountId accountId = ids.get(id);
            settle(record, accountId == null ? null : stored.get(accountId), mapping);
        });
    }

    /** Settles one record against its account (null: a new one). */
    static void settle(ObjectNode record, @Nullable Account account, FieldMapping mapping) {
        if (account != null) {
            for (FieldMapping.Field field : mapping.stewardWins()) {
                if (hasValue(account, field.target())) {
                    if (field.target().startsWith(ImportTargets.CUSTOM)) {
                        JsonNode custom = record.path("customFields");
                        if (custom instanceof ObjectNode o) {
                            o.remove(field.target().substring(ImportTargets.CUSTOM.length()));
                        }
                    } else {
                        record.remove(field.target());
                    }
                }
            }
        }
        if (!(record.path("customFields") instanceof ObjectNode given)) {
            return;
        }
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        if (account != null) {
            account.customFields().forEach((key, value) -> merged.set(key, node(value)));
        }
        for (Map.Entry<String, JsonNode> field : given.properties()) {
            if (field.getValue() == null || field.getValue().isNull()) {
                merged.remove(field.getKey());
            } else {
                merged.set(field.getKey(), field.getValue());
            }
        }
        record.set("customFields", merged);
    }

    private static JsonNode node(@Nullable Object value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (value == null) {
            return nodes.nullNode();
        }
        if (value instanceof Boolean b) {
            return nodes.booleanNode(b);
        }
        if (value instanceof Number n) {
            return nodes.numberNode(new java.math.BigDecimal(n.toString()));
        }
        return nodes.stringNode(value.toString());
    }

    /** Whether the account has a value for the field. */
    static boolean hasValue(Account account, String target) {
        if (target.startsWith(ImportTargets.CUSTOM)) {
            Object value = account.customFields().get(target.substring(ImportTargets.CUSTOM.length()));
            return value != null && !String.valueOf(value).isBlank();
        }
        Object value = switch (target) {
            case "name" -> account.name();
            case "tier" -> account.tier();
            case "industry" -> account.industry();
            case "region" -> account.region();
            case "employees" -> account.employees();
            case "ownerEmail" -> account.ownerId();
            case "lifecycleStage" -> account.lifecycleStage();
            default -> null;
        };
        return value != null && !String.valueOf(value).isBlank();
    }
}
