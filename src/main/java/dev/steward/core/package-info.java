/** Shared kernel: typed ids, money, problem details, cursor paging, bulk results, database and command-line plumbing. */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package dev.steward.core;
