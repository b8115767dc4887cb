-- 日志中心 is append-only: no code path may change or remove an entry. The only deletion
-- allowed is the retention purge (audit/index.ts purgeAudit), and only of rows older than
-- the retention period in `app_settings` (key `audit_retention_days`, default 1095 days).
-- The trigger never honours less than 180 days (网络安全法: network logs are kept at least
-- six months), so a bad or hostile setting cannot open the log to deletion.
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log`
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
--> statement-breakpoint
-- INSERT OR REPLACE on an existing id would delete the old row without firing the DELETE trigger.
CREATE TRIGGER `audit_log_no_replace` BEFORE INSERT ON `audit_log`
WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM `audit_log` WHERE id = NEW.id)
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_retention_only` BEFORE DELETE ON `audit_log`
WHEN OLD.at >= unixepoch() * 1000 - 86400000 * max(180, coalesce((SELECT CAST(value AS INTEGER) FROM `app_settings` WHERE key = 'audit_retention_days'), 1095))
BEGIN
	SELECT RAISE(ABORT, 'audit_log rows are kept for the retention period');
END;
