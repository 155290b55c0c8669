/** Data quality: which kinds of data each account has and how fresh they are, and whether each source delivers. */
@org.springframework.modulith.NamedInterface("quality")
package dev.steward.ingest.quality;
