/**
 * NPS surveys emailed to customers' contacts: a survey names a segment (or every account) and the contact roles to
 * ask; sending it emails each eligible contact once through the notification outbox, with a one-click 0–10 scale and
 * a one-click unsubscribe; the answer page needs no sign-in (a signed link per contact and survey) and records the
 * score as a survey response of the account, which the health score reads; results give the response rate and NPS,
 * by segment.
 */
@org.springframework.modulith.ApplicationModule(
        allowedDependencies = {"activity", "core", "customer", "health", "identity", "notify"})
package dev.steward.survey;
