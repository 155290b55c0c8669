package dev.steward.activity;

import java.util.UUID;

/**
 * What every activity record sent to Steward has in common: its id in the source system, and its account given
 * either by Steward id or by the account's external id in the same source.
 */
public interface ActivityInput {

    String externalId();

    UUID accountId();

    String accountExternalId();
}
