/** Product usage: the metric catalog and each account's daily values per metric. */
package dev.steward.usage;
