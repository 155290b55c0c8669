/** Timestamped facts about accounts other than product usage (tickets, invoices, meetings, surveys, notes, churn, CSM sentiment) and the unified timeline. */
package dev.steward.activity;
