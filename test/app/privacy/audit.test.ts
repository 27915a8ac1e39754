// The audit trail: every case step records the status before and after; every refusal is recorded with what was
// tried and why it was refused, never what anyone typed; and nothing can rewrite the trail.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { AuditLog } from '../../../src/store/store';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store';
import { P, acceptAndAssess, raiseRequest, startHarness, textOf, type Harness } from '../../support/harness';

const NOW = new Date('2026-11-27T10:00:00Z');
const PUPIL = 'Sam Okonkwo-Price';

describe('the audit trail', () => {
  let h: Harness;
  let caseId: string;
  beforeEach(async () => {
    h = await startHarness({ now: () => NOW });
    for (const p of [P.megan, P.adele, P.isaiah]) await h.say(p, 'hello');
    caseId = await raiseRequest(h, {
      kind: 'individual',
      pupilName: PUPIL,
      yearGroup: 'Year 4',
      needs: 'semh',
      tried: 'Sam has a calm corner.',
      asked: 'Counselling.',
      consentGivenBy: 'Jo Price (mother)',
      consentDate: '2026-11-20',
      consentMethod: 'in-writing',
    });
  });
  afterEach(async () => h.stop());

  const refusals = async () =>
    (await h.bot.store.audit.list())
      .filter((a) => a.outcome === 'refused')
      .map(({ actor, action, caseId: id, detail }) => ({
        actor,
        action,
        ...(id ? { caseId: id } : {}),
        detail,
      }));

  it('records who moved a case from which status to which, and when', async () => {
    await acceptAndAssess(h, caseId);
    const steps = (await h.bot.store.audit.list(caseId)).filter((a) =>
      ['accept', 'assess'].includes(a.action),
    );
    assert.deepEqual(
      steps.map(({ at, actor, action, before, after, outcome }) => ({
        at,
        actor,
        action,
        before,
        after,
        outcome,
      })),
      [
        {
          at: NOW.toISOString(),
          actor: P.adele.aadObjectId,
          action: 'accept',
          before: 'submitted',
          after: 'accepted',
          outcome: 'done',
        },
        {
          at: NOW.toISOString(),
          actor: P.adele.aadObjectId,
          action: 'assess',
          before: 'accepted',
          after: 'assessed',
          outcome: 'done',
        },
      ],
    );
  });

  it("records a refused step on a case: who, the button's verb, the case and the refusal's code", async () => {
    const card = await h.press(P.megan, 'accept', { caseId, observationDate: '2026-12-02' });
    assert.match(textOf(card), /Only the EIP co-ordinator can do that/);
    await h.press(P.adele, 'accept', { caseId, observationDate: '2026-12-02' });
    const late = await h.press(P.adele, 'accept', { caseId, observationDate: '2026-12-03' });
    assert.match(textOf(late), /has moved on/);
    assert.deepEqual(await refusals(), [
      { actor: P.megan.aadObjectId, action: 'accept', caseId, detail: 'forbidden' },
      { actor: P.adele.aadObjectId, action: 'accept', caseId, detail: 'moved_on' },
    ]);
    assert.equal(
      (await h.bot.store.cases.get(caseId))?.value.observationDate,
      '2026-12-02',
      'nothing changed',
    );
  });

  it('records refusals that never reach a case: a stranger, a group chat, an unknown case, a typed command', async () => {
    await h.say(P.stranger, 'hello');
    await h.press(P.adele, 'openCase', { caseId }, 'panel');
    await h.press(P.adele, 'openCase', { caseId: `${PUPIL} (not an id)` });
    await h.say(P.megan, `subject access ${PUPIL}`);
    await h.say(P.megan, 'budget', 'panel');
    assert.deepEqual(await refusals(), [
      { actor: P.stranger.aadObjectId, action: 'help', detail: 'not_in_directory' },
      { actor: P.adele.aadObjectId, action: 'openCase', caseId, detail: 'private_only' },
      { actor: P.adele.aadObjectId, action: 'openCase', detail: 'not_found' },
      { actor: P.megan.aadObjectId, action: 'subject access', detail: 'forbidden' },
      { actor: P.megan.aadObjectId, action: 'budget', detail: 'private_only' },
    ]);
    const trail = JSON.stringify(await h.bot.store.audit.list());
    for (const part of ['Sam', 'Okonkwo', 'calm corner', 'Jo Price'])
      assert.ok(!trail.includes(part), `the audit trail never holds "${part}"`);
  });

  it('names who was really at the keyboard when someone acts as another in local mode', async () => {
    await h.say(P.megan, 'act as Adele Vance');
    await h.press(P.megan, 'accept', { caseId, observationDate: '2026-12-02' });
    const [accept] = (await h.bot.store.audit.list(caseId)).filter((a) => a.action === 'accept');
    assert.equal(accept?.actor, `${P.adele.aadObjectId} (by ${P.megan.aadObjectId})`);
  });
});

describe('the audit trail is append-only', () => {
  it('offers only append and list, in the interface and in the embedded store', async () => {
    // A compile-time check: the interface has no other member (this line fails to compile if one is added).
    const members: Record<keyof AuditLog, true> = { append: true, list: true };
    assert.deepEqual(Object.keys(members), ['append', 'list']);
    const store = new SqliteStore(':memory:');
    const proto = Object.getPrototypeOf(store.audit) as object;
    assert.deepEqual(
      Object.getOwnPropertyNames(proto)
        .filter((n) => n !== 'constructor')
        .sort(),
      ['append', 'list'],
    );
    await store.close();
  });

  it('is never rewritten by the application: no code updates or deletes an audit row', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    walk(path.join(__dirname, '..', '..', '..', 'src'));
    assert.ok(files.length > 50, 'the source was found');
    const calls = new Set<string>();
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      for (const m of text.matchAll(/\.audit\.(\w+)/g)) calls.add(m[1]!);
      assert.doesNotMatch(text, /\b(UPDATE|DELETE\s+FROM|DROP\s+TABLE|REPLACE\s+INTO)\s+audit\b/i, f);
    }
    assert.deepEqual([...calls].sort(), ['append', 'list']);
    // The SharePoint store's audit list is only ever posted to and read: no item is patched or deleted.
    const sharepoint = fs.readFileSync(
      path.join(__dirname, '..', '..', '..', 'src', 'store', 'sharepoint', 'sharepoint-store.ts'),
      'utf8',
    );
    const auditClass = /class SharePointAudit implements AuditLog \{[\s\S]*?\n\}\n/.exec(sharepoint)?.[0];
    assert.ok(auditClass, 'the SharePoint audit class was found');
    assert.match(auditClass, /r\.post\(/);
    assert.doesNotMatch(auditClass, /\.(patch|put|delete)\(/);
  });
});
