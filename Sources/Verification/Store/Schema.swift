import Foundation
import GRDB

/// Versioned migrations of the SQLite schema. Instants are UTC epoch milliseconds, calendar dates
/// `YYYY-MM-DD` text, enums CHECK-constrained text. Never edit a shipped migration: add a new one.
enum Schema {
    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-registry") { db in try db.execute(sql: registry) }
        migrator.registerMigration("v1-history") { db in try db.execute(sql: history) }
        migrator.registerMigration("v1-append-only") { db in
            for table in ["scans", "verdicts", "trace_events", "trace_event_objects", "trace_event_parties", "case_events"] {
                try db.execute(sql: """
                    CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table)
                    BEGIN SELECT RAISE(ABORT, '\(table) is append-only: record a correction instead'); END;
                    CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table)
                    BEGIN SELECT RAISE(ABORT, '\(table) is append-only: record a correction instead'); END;
                    """)
            }
            // A seller is never blacklisted without a concluded counterfeit case as evidence.
            for timing in ["INSERT", "UPDATE"] {
                try db.execute(sql: """
                    CREATE TRIGGER sellers_blacklist_needs_case_\(timing.lowercased()) BEFORE \(timing) ON sellers
                    WHEN NEW.status = 'blacklisted' AND NOT EXISTS (
                        SELECT 1 FROM mail_in_cases WHERE id = NEW.evidence_case_id AND status = 'concluded_counterfeit')
                    BEGIN SELECT RAISE(ABORT, 'blacklisting a seller needs a case concluded counterfeit'); END;
                    """)
            }
        }
        // Verifier ids are stored as keyed hashes; the key is random per database, so the hashes
        // of guessable ids (phone numbers, account names) cannot be recomputed elsewhere.
        migrator.registerMigration("v2-verifier-salt") { db in
            try db.execute(sql: """
                CREATE TABLE settings (key TEXT PRIMARY KEY, value BLOB NOT NULL) STRICT;
                INSERT INTO settings (key, value) VALUES ('verifier_salt', randomblob(32));
                """)
        }
        // Lab photo batches get their own channel. SQLite cannot change a CHECK in place, so the
        // scans table is rebuilt (GRDB defers foreign-key checks to the end of the migration).
        migrator.registerMigration("v3-lab-batch-channel") { db in try allowScanChannel(db, "lab_batch") }
        // Digital Link landing-page views: a phone camera opening a tin's URI is not a verification,
        // so views live apart from scans and never count toward the suspect-copy rules.
        migrator.registerMigration("v4-landing-views") { db in
            try db.execute(sql: """
                CREATE TABLE landing_views (
                    id INTEGER PRIMARY KEY,
                    at INTEGER NOT NULL,
                    gtin TEXT NOT NULL,
                    lot TEXT NOT NULL,
                    serial TEXT NOT NULL
                ) STRICT;
                CREATE INDEX landing_views_by_unit ON landing_views(gtin, serial);
                """)
        }
        return migrator
    }

    /// Rebuilds `scans` with `channel` added to its CHECK list. The new table is made from the
    /// stored definition, so columns and channels added by other migrations are kept, and the
    /// table's index and append-only triggers are recreated from their stored text.
    static func allowScanChannel(_ db: Database, _ channel: String) throws {
        let table = "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'scans'"
        guard let definition = try String.fetchOne(db, sql: table),
              let list = definition.range(of: "channel IN ("),
              let end = definition[list.upperBound...].firstIndex(of: ")") else {
            throw StoreError.invalidData("the scans table has no channel list to extend")
        }
        if definition[list.upperBound..<end].contains("'\(channel)'") { return }
        var rebuilt = definition
        rebuilt.insert(contentsOf: ", '\(channel)'", at: end)
        rebuilt = rebuilt.replacingOccurrences(of: "CREATE TABLE scans", with: "CREATE TABLE scans_rebuilt")
        let dependents = try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE tbl_name = 'scans' AND type IN ('index', 'trigger') AND sql IS NOT NULL")
        try db.execute(sql: rebuilt)
        try db.execute(sql: "INSERT INTO scans_rebuilt SELECT * FROM scans; DROP TABLE scans; ALTER TABLE scans_rebuilt RENAME TO scans")
        for sql in dependents { try db.execute(sql: sql) }
    }

    static let registry = """
        CREATE TABLE brands (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            hosts_json TEXT NOT NULL DEFAULT '[]'
        ) STRICT;
        CREATE TABLE locations (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            role TEXT,
            city TEXT,
            province TEXT,
            country TEXT,
            latitude REAL,
            longitude REAL
        ) STRICT;
        CREATE TABLE products (
            gtin TEXT PRIMARY KEY CHECK (length(gtin) = 14),
            brand_id TEXT NOT NULL REFERENCES brands(id),
            name TEXT NOT NULL,
            stage TEXT,
            net_content TEXT,
            origin TEXT,
            specifications_json TEXT NOT NULL DEFAULT '{}',
            authenticator_required INTEGER NOT NULL CHECK (authenticator_required IN (0, 1)),
            caution_at INTEGER NOT NULL CHECK (caution_at >= 2),
            suspect_at INTEGER NOT NULL,
            max_travel_kmh REAL NOT NULL,
            expiring_soon_days INTEGER NOT NULL,
            CHECK (suspect_at >= caution_at)
        ) STRICT;
        CREATE TABLE lots (
            id INTEGER PRIMARY KEY,
            gtin TEXT NOT NULL REFERENCES products(gtin),
            lot TEXT NOT NULL,
            production_date TEXT NOT NULL,
            expiry_date TEXT NOT NULL,
            factory_location_id TEXT REFERENCES locations(id),
            process_json TEXT NOT NULL DEFAULT '[]',
            status TEXT NOT NULL CHECK (status IN ('active', 'on_hold', 'recalled', 'withdrawn')),
            status_reason TEXT,
            status_changed_at INTEGER,
            UNIQUE (gtin, lot)
        ) STRICT;
        CREATE TABLE recalls (
            id INTEGER PRIMARY KEY,
            gtin TEXT NOT NULL REFERENCES products(gtin),
            lot TEXT,
            produced_from TEXT,
            produced_through TEXT,
            reason TEXT NOT NULL,
            announced_at INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE signing_keys (
            key_id TEXT PRIMARY KEY CHECK (length(key_id) = 2),
            brand_id TEXT NOT NULL REFERENCES brands(id),
            algorithm TEXT NOT NULL CHECK (algorithm IN ('ed25519', 'hmac-sha256-128')),
            public_key BLOB,
            secret_path TEXT,
            status TEXT NOT NULL CHECK (status IN ('active', 'retired', 'revoked')),
            created_at INTEGER NOT NULL,
            status_changed_at INTEGER,
            CHECK (algorithm <> 'ed25519' OR length(public_key) = 32)
        ) STRICT;
        CREATE TABLE units (
            id INTEGER PRIMARY KEY,
            gtin TEXT NOT NULL REFERENCES products(gtin),
            serial TEXT NOT NULL,
            lot_id INTEGER NOT NULL REFERENCES lots(id),
            key_id TEXT REFERENCES signing_keys(key_id),
            status TEXT NOT NULL CHECK (status IN ('issued', 'commissioned', 'shipped', 'sold', 'decommissioned', 'destroyed', 'compromised')),
            issued_at INTEGER NOT NULL,
            UNIQUE (gtin, serial)
        ) STRICT;
        CREATE TABLE sellers (
            id TEXT PRIMARY KEY,
            platform TEXT NOT NULL,
            name TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('ok', 'watch', 'blacklisted')),
            reason TEXT,
            evidence_case_id INTEGER,
            changed_at INTEGER
        ) STRICT;
        CREATE TABLE trace_events (
            event_id TEXT PRIMARY KEY,
            event_type TEXT NOT NULL CHECK (event_type IN ('ObjectEvent', 'AggregationEvent')),
            action TEXT NOT NULL CHECK (action IN ('ADD', 'OBSERVE', 'DELETE')),
            biz_step TEXT,
            disposition TEXT,
            event_time INTEGER NOT NULL,
            tz_offset TEXT NOT NULL,
            record_time INTEGER,
            read_point TEXT,
            biz_location TEXT,
            ilmd_json TEXT NOT NULL DEFAULT '{}',
            raw_json TEXT NOT NULL,
            imported_at INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE trace_event_objects (
            event_id TEXT NOT NULL REFERENCES trace_events(event_id),
            role TEXT NOT NULL CHECK (role IN ('epc', 'quantity', 'parent', 'child')),
            object_uri TEXT NOT NULL,
            quantity REAL,
            uom TEXT
        ) STRICT;
        CREATE INDEX trace_event_objects_by_uri ON trace_event_objects(object_uri);
        CREATE TABLE trace_event_parties (
            event_id TEXT NOT NULL REFERENCES trace_events(event_id),
            kind TEXT NOT NULL CHECK (kind IN ('source', 'destination', 'biz_transaction')),
            type TEXT,
            value TEXT NOT NULL
        ) STRICT;
        """

    static let history = """
        CREATE TABLE photos (
            sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
            size_bytes INTEGER,
            width INTEGER,
            height INTEGER,
            received_at INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE scans (
            id TEXT PRIMARY KEY,
            received_at INTEGER NOT NULL,
            channel TEXT NOT NULL CHECK (channel IN ('consumer', 'cli', 'lab', 'partner')),
            verifier_hash TEXT,
            counted INTEGER NOT NULL CHECK (counted IN (0, 1)),
            idempotency_key TEXT UNIQUE,
            fingerprint TEXT NOT NULL,
            photo_sha256 TEXT REFERENCES photos(sha256),
            decode_status TEXT NOT NULL,
            symbology_id TEXT,
            raw_payload TEXT,
            gtin TEXT,
            lot TEXT,
            serial TEXT,
            expiry TEXT,
            unit_id INTEGER REFERENCES units(id),
            seller_id TEXT REFERENCES sellers(id),
            seller_ref TEXT,
            order_ref TEXT,
            region TEXT,
            latitude REAL,
            longitude REAL,
            CHECK (counted = 0 OR (verifier_hash IS NOT NULL AND unit_id IS NOT NULL))
        ) STRICT;
        CREATE INDEX scans_counted_by_unit ON scans(unit_id, counted);
        CREATE TABLE verdicts (
            scan_id TEXT PRIMARY KEY REFERENCES scans(id),
            verdict TEXT NOT NULL CHECK (verdict IN ('INCONCLUSIVE', 'UNKNOWN', 'COUNTERFEIT', 'RECALLED', 'SUSPECT_COPY',
                'GENUINE_ALREADY_VERIFIED', 'EXPIRED', 'GENUINE_REPEAT', 'GENUINE')),
            reasons_json TEXT NOT NULL,
            flags_json TEXT NOT NULL,
            rule_version TEXT NOT NULL,
            thresholds_json TEXT,
            decided_at INTEGER NOT NULL,
            response_json TEXT NOT NULL
        ) STRICT;
        CREATE TABLE mail_in_cases (
            id INTEGER PRIMARY KEY,
            opened_from_scan_id TEXT REFERENCES scans(id),
            unit_id INTEGER REFERENCES units(id),
            gtin TEXT,
            serial TEXT,
            photo_sha256 TEXT REFERENCES photos(sha256),
            seller_id TEXT REFERENCES sellers(id),
            reasons_json TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('open', 'received', 'examining', 'concluded_genuine',
                'concluded_counterfeit', 'concluded_inconclusive')),
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE case_events (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES mail_in_cases(id),
            at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            from_status TEXT,
            to_status TEXT NOT NULL,
            note TEXT
        ) STRICT;
        CREATE TABLE batch_runs (
            id INTEGER PRIMARY KEY,
            configuration TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            finished_at INTEGER
        ) STRICT;
        CREATE TABLE batch_items (
            run_id INTEGER NOT NULL REFERENCES batch_runs(id),
            input_path TEXT NOT NULL,
            sha256 TEXT,
            case_id INTEGER REFERENCES mail_in_cases(id),
            scan_id TEXT REFERENCES scans(id),
            status TEXT NOT NULL CHECK (status IN ('done', 'error')),
            error TEXT,
            PRIMARY KEY (run_id, input_path)
        ) STRICT;
        """
}
