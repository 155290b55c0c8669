package dev.steward.ingest.warehouse;

import dev.steward.core.PageLimit;
import dev.steward.ingest.sync.SyncRuns;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Warehouse sources, their feeds and their pulls; for administrators. */
@RestController
@RequestMapping("/api/v1/warehouse/sources")
@Tag(
        name = "Warehouse",
        description = "Product usage and records pulled from a SQL warehouse (PostgreSQL, DuckDB, any JDBC driver)")
class WarehouseController {

    /** A new warehouse source: its name and how to reach the warehouse. */
    record NewWarehouse(
            String name,
            String jdbcUrl,
            @Nullable String user,
            @Nullable String password,
            @Nullable Integer everyMinutes,
            @Nullable Boolean paused) {}

    private final WarehouseSources warehouses;

    WarehouseController(WarehouseSources warehouses) {
        this.warehouses = warehouses;
    }

    @PostMapping
    @Operation(
            summary = "Connect a warehouse",
            description = "Tests the connection first (422 naming jdbcUrl, user or password with the driver's reason;"
                    + " nothing is kept). The password is stored encrypted and never shown again. everyMinutes (5 to"
                    + " 10080, default 60) is how often its feeds are pulled. 409 if the name is taken.")
    ResponseEntity<WarehouseSources.WarehouseView> create(@RequestBody NewWarehouse input) {
        WarehouseSources.WarehouseView view = warehouses.create(
                input.name(),
                new WarehouseSources.ConnectionInput(
                        input.jdbcUrl(), input.user(), input.password(), input.everyMinutes(), input.paused()));
        return ResponseEntity.created(URI.create("/api/v1/warehouse/sources/" + view.name()))
                .body(view);
    }

    @GetMapping
    @Operation(summary = "The warehouse sources")
    List<WarehouseSources.WarehouseView> list() {
        return warehouses.all();
    }

    @GetMapping("/{name}")
    @Operation(summary = "A warehouse source with its feeds and latest pulls")
    WarehouseSources.WarehouseView get(@PathVariable String name) {
        return warehouses.get(name);
    }

    @PatchMapping("/{name}")
    @Operation(
            summary = "Change a connection",
            description = "Fields left out stay as they are; a new URL, user or password is tested first. paused"
                    + " stops the schedule (pulls can still be started by hand).")
    WarehouseSources.WarehouseView update(
            @PathVariable String name, @RequestBody WarehouseSources.ConnectionInput input) {
        return warehouses.update(name, input);
    }

    @PostMapping("/{name}/check")
    @Operation(
            summary = "Check a query and its mapping on a sample",
            description = "Runs the query (read-only, at most 20 rows) and answers its columns with their SQL types,"
                    + " the mapping (the one given, or one suggested from the column names), what is wrong with it,"
                    + " and each sample row as the import would read it, with its problems. Nothing is stored.")
    WarehouseSources.CheckView check(@PathVariable String name, @RequestBody WarehouseSources.FeedInput input) {
        return warehouses.check(name, input);
    }

    @PutMapping("/{name}/feeds/{feed}")
    @Operation(
            summary = "Save a feed",
            description = "entity is what each row is: usage (account, metric, day, value) or any kind of record a CSV"
                    + " file can hold; mapping maps columns to fields as a CSV import's does. The query is checked on a"
                    + " sample first (422 naming each problem). With watermarkColumn, each pull asks only for rows at or"
                    + " past the largest value seen; changing the query starts again from the first row.")
    WarehouseSources.FeedView saveFeed(
            @PathVariable String name, @PathVariable String feed, @RequestBody WarehouseSources.FeedInput input) {
        return warehouses.saveFeed(
                name,
                new WarehouseSources.FeedInput(
                        feed,
                        input.query(),
                        input.entity(),
                        input.mapping(),
                        input.accountsSource(),
                        input.watermarkColumn()));
    }

    @DeleteMapping("/{name}/feeds/{feed}")
    @Operation(summary = "Remove a feed", description = "What it pulled stays.")
    ResponseEntity<Void> deleteFeed(@PathVariable String name, @PathVariable String feed) {
        warehouses.deleteFeed(name, feed);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{name}/pulls")
    @Operation(
            summary = "Pull now",
            description = "Starts a pull of every feed (202); its runs show in runs. 409 while one runs.")
    ResponseEntity<WarehouseSources.WarehouseView> pull(@PathVariable String name) {
        warehouses.pullNow(name);
        return ResponseEntity.accepted().body(warehouses.get(name));
    }

    @GetMapping("/{name}/runs")
    @Operation(
            summary = "The latest pulls",
            description = "Newest first: when, why, rows read, created, updated, unchanged and rejected, the watermark"
                    + " before and after, the first rejected rows with the reason, and why a failed pull stopped.")
    List<SyncRuns.Run> runs(@PathVariable String name, @RequestParam(required = false) Integer limit) {
        return warehouses.runs(name, new PageLimit(20, 200).of(limit));
    }
}
