// npm run points:rebuild — recomputes every points aggregate from the ledger, in one transaction.
import { createDb, DEFAULT_DATABASE_URL, migrateDb } from '../src/lib/server/db';
import { rebuildPeriods } from '../src/lib/server/points/periods';

const db = createDb(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
migrateDb(db);
const started = performance.now();
db.transaction((tx) => rebuildPeriods(tx));
const rows = db.$client.prepare('SELECT count(*) AS n FROM points_period').get() as { n: number };
console.log(`积分汇总已重建：${rows.n} 行，用时 ${Math.round(performance.now() - started)} 毫秒`);
