/** Customer accounts and their hierarchy, contacts, contracts and opportunities, and CSM assignment. */
package dev.steward.customer;
