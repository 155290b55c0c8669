/** Users, roles, sign-in, API keys and the audit log. */
package dev.steward.identity;
