/**
 * Playbooks and calls to action (CTAs): versioned playbook documents whose triggers (a health color, a renewal ahead,
 * a stage or segment entered, a condition, a schedule, an NPS response, escalated or many tickets, a champion leaving,
 * an invoice overdue, no meeting) turn facts into owned work with tasks, a priority and a due time under a
 * business-day SLA; overdue CTAs escalate; dry runs and a control group show what a playbook does.
 */
package dev.steward.playbook;
