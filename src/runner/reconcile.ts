import type { BrokerOrder, BrokerPosition } from '../brokers/broker';
import { brokerCall, HaltError, type RunnerContext } from './context';

export interface ReconcileReport {
  /** What was repaired (an order the broker has that the journal had as new or sending). */
  readonly repaired: string[];
}

/**
 * Start-up reconciliation, before anything is sent: every order the journal has as new or sending
 * is looked up by client order id (found: recorded as submitted); every submitted order must be
 * known to the broker; every open order at the broker must be one of ours; every position at the
 * broker must be the journal's position plus the fills the broker has and the journal has not
 * recorded yet. Anything else halts.
 */
export async function reconcile(context: RunnerContext): Promise<ReconcileReport> {
  const { journal, broker } = context;
  const repaired: string[] = [];
  const problems: string[] = [];
  const account = await brokerCall('account', () => broker.getAccount());
  if (account.status !== 'ACTIVE' || account.tradingBlocked) {
    problems.push(`the broker account is ${account.status}${account.tradingBlocked ? ' and trading is blocked' : ''}`);
  }
  const remoteById = new Map<string, BrokerOrder>();
  for (const entry of journal.activeOrders()) {
    const id = entry.order.id;
    const remote = await brokerCall(`get ${id}`, () => broker.getOrderByClientId(id));
    if (remote !== null) remoteById.set(id, remote);
    if (entry.status === 'new' || entry.status === 'sending') {
      if (remote !== null) {
        journal.markSubmitted(id, remote.id, remote.status, `found at the broker on restart (journal had it as ${entry.status})`);
        repaired.push(`${id}: the journal had it as ${entry.status}, the broker has it (${remote.status}): recorded as submitted`);
      }
    } else if (remote === null) {
      problems.push(`order ${id} (${entry.order.side} ${entry.order.shares} ${entry.order.symbol}) is submitted in the journal but the broker does not know it`);
    }
  }
  const ours = new Set(journal.orders().map((entry) => entry.order.id));
  for (const remote of await brokerCall('open orders', () => broker.listOpenOrders())) {
    if (!ours.has(remote.clientOrderId)) {
      problems.push(`open order at the broker not in the journal: ${remote.side} ${remote.shares} ${remote.symbol} (client order id ${remote.clientOrderId}, status ${remote.status})`);
    }
  }
  const expected = new Map<string, number>();
  for (const position of journal.portfolio().positions.values()) expected.set(position.symbol, position.shares);
  for (const entry of journal.activeOrders()) {
    const remote = remoteById.get(entry.order.id);
    const unrecorded = (remote?.filledShares ?? 0) - entry.filledShares;
    if (unrecorded === 0) continue;
    const signed = entry.order.side === 'buy' ? unrecorded : -unrecorded;
    expected.set(entry.order.symbol, (expected.get(entry.order.symbol) ?? 0) + signed);
  }
  const positions: BrokerPosition[] = await brokerCall('positions', () => broker.listPositions());
  const atBroker = new Map(positions.map((position) => [position.symbol, position.shares]));
  for (const [symbol, shares] of atBroker) {
    const wanted = expected.get(symbol) ?? 0;
    if (wanted === 0 && shares !== 0) {
      problems.push(`position at the broker the journal does not know: ${shares} ${symbol}`);
    } else if (wanted !== shares) {
      problems.push(`position ${symbol}: the broker has ${shares} shares, the journal (with the fills not yet recorded) expects ${wanted}`);
    }
  }
  for (const [symbol, shares] of expected) {
    if (shares !== 0 && !atBroker.has(symbol)) problems.push(`position ${symbol}: the journal expects ${shares} shares, the broker has none`);
  }
  if (problems.length > 0) {
    journal.recordEvent(null, 'halt', problems.join('\n'));
    throw new HaltError(problems);
  }
  for (const line of repaired) {
    journal.recordEvent(null, 'repaired', line);
    context.log(`repaired: ${line}`);
  }
  return { repaired };
}
