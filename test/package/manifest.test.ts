// The Teams app manifest: the newest schema version Teams accepts, valid under Microsoft's published JSON schema for
// it (from @microsoft/app-manifest, never the network), its bot in every scope the workflow uses, commands the bot
// really understands, and the icons Teams asks for.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import {
  fillPlaceholders,
  iconProblems,
  placeholdersIn,
  shippedManifestVersions,
  showProblem,
  validateManifest,
} from '../../src/dev/package';
import { P, startHarness, textOf, type Harness, type TestPerson } from '../support/harness';
import { SAMPLE_VALUES } from './samples';

const root = path.resolve(__dirname, '..', '..');
const appDir = path.join(root, 'appPackage');
const template = fs.readFileSync(path.join(appDir, 'manifest.json'), 'utf8');

type Manifest = {
  manifestVersion: string;
  $schema: string;
  bots: {
    botId: string;
    scopes: string[];
    supportsFiles: boolean;
    commandLists: { scopes: string[]; commands: { title: string; description: string }[] }[];
  }[];
  [k: string]: unknown;
};

const filled = (): Manifest => JSON.parse(fillPlaceholders(template, SAMPLE_VALUES, 'the test')) as Manifest;

describe('Teams app manifest', () => {
  it('uses the newest numbered schema version that @microsoft/app-manifest ships, with its $schema', () => {
    const manifest = JSON.parse(template) as Manifest;
    const newest = shippedManifestVersions().at(-1);
    assert.equal(manifest.manifestVersion, newest);
    assert.equal(
      manifest.$schema,
      `https://developer.microsoft.com/en-us/json-schemas/teams/v${newest}/MicrosoftTeams.schema.json`,
    );
  });

  it("is valid under Microsoft's published schema once its placeholders are filled", () => {
    assert.deepEqual(validateManifest(filled()).map(showProblem), []);
  });

  it('fails validation naming the manifest path and the schema rule when a field is wrong', () => {
    const wrongScope = filled();
    wrongScope.bots[0]!.scopes = ['personal', 'everyone'];
    const scopeProblems = validateManifest(wrongScope);
    assert.ok(scopeProblems.length > 0);
    const scope = scopeProblems.find((p) => p.path === '/bots/0/scopes/1');
    assert.ok(scope, `no problem at /bots/0/scopes/1 in ${scopeProblems.map(showProblem).join('; ')}`);
    assert.match(scope.schemaPath, /scopes/);
    assert.match(showProblem(scope), /^\/bots\/0\/scopes\/1 must be equal to one of the allowed values/);

    const noPrivacy = filled();
    delete (noPrivacy.developer as Record<string, unknown>).privacyUrl;
    const privacy = validateManifest(noPrivacy);
    assert.ok(
      privacy.some((p) => p.path === '/developer' && /privacyUrl/.test(p.message)),
      privacy.map(showProblem).join('; '),
    );

    const badBot = filled();
    badBot.bots[0]!.botId = 'not-a-guid';
    assert.deepEqual(
      validateManifest(badBot).map((p) => p.path),
      ['/bots/0/botId'],
    );
  });

  it('refuses a $schema that is not the schema of its manifestVersion', () => {
    const m = filled();
    m.$schema = 'https://developer.microsoft.com/en-us/json-schemas/teams/v1.19/MicrosoftTeams.schema.json';
    assert.deepEqual(
      validateManifest(m).map((p) => p.path),
      ['/$schema'],
    );
  });

  it('declares the bot in personal, group chat and team scopes, taking files (evidence documents, 1:1 only)', () => {
    const bot = filled().bots[0]!;
    assert.deepEqual([...bot.scopes].sort(), ['groupChat', 'personal', 'team']);
    // Files arrive in the 1:1 chat as download-info attachments; the router refuses one sent anywhere else.
    assert.equal(bot.supportsFiles, true);
    const listed = bot.commandLists.flatMap((l) => l.scopes).sort();
    assert.deepEqual(listed, ['groupChat', 'personal', 'team']);
  });

  it('takes ids, URLs, the domain and the SharePoint-mode app registration from the environment', () => {
    const m = JSON.parse(template) as Record<string, unknown>;
    assert.equal(m.id, '${{TEAMS_APP_ID}}');
    assert.deepEqual(m.developer, {
      name: '${{DEVELOPER_NAME}}',
      websiteUrl: '${{DEVELOPER_WEBSITE_URL}}',
      privacyUrl: '${{DEVELOPER_PRIVACY_URL}}',
      termsOfUseUrl: '${{DEVELOPER_TERMS_URL}}',
    });
    assert.deepEqual(m.validDomains, ['${{BOT_DOMAIN}}']);
    assert.deepEqual(m.webApplicationInfo, { id: '${{BOT_ID}}', resource: 'api://botid-${{BOT_ID}}' });
    assert.deepEqual(placeholdersIn(template).sort(), Object.keys(SAMPLE_VALUES).sort());
  });

  describe('commands the bot understands', () => {
    let h: Harness;
    before(async () => {
      h = await startHarness();
    });
    after(async () => {
      await h.stop();
    });

    const lists = filled().bots[0]!.commandLists;
    // Who types each command: the co-ordinator, but a panel member names their substitute and an admin sets meetings.
    const typedBy: Record<string, TestPerson> = { away: P.alex, meetings: P.isaiah };
    for (const list of lists) {
      const chat = list.scopes.includes('personal') ? 'personal' : 'panel';
      for (const command of list.commands) {
        it(`"${command.title}" (${list.scopes.join(', ')}) is answered by the command itself`, async () => {
          // Someone who may use the command types it; what comes back must be the command's own card.
          const cards = await h.say(typedBy[command.title] ?? P.adele, command.title, chat);
          assert.equal(cards.length, 1);
          const text = textOf(cards[0]);
          assert.doesNotMatch(text, /didn't understand/);
          assert.doesNotMatch(text, /isn't open to you|only in your 1:1 chat|not in a 1:1 chat/);
          assert.ok(command.title.length <= 32 && command.description.length <= 128);
        });
      }
    }

    it('a command the bot does not know is answered as unknown (so the checks above can fail)', async () => {
      const cards = await h.say(P.adele, 'panel there', 'panel');
      assert.match(textOf(cards[0]), /didn't understand/);
      const privateOnly = await h.say(P.adele, 'my cases', 'panel');
      assert.match(textOf(privateOnly[0]), /only in your 1:1 chat/);
    });
  });
});

describe('Teams app icons', () => {
  const files = {
    color: fs.readFileSync(path.join(appDir, 'color.png')),
    outline: fs.readFileSync(path.join(appDir, 'outline.png')),
  };

  it('color.png is 192×192 and outline.png is 32×32, white on a transparent background', () => {
    const color = PNG.sync.read(files.color);
    assert.deepEqual([color.width, color.height], [192, 192]);
    const outline = PNG.sync.read(files.outline);
    assert.deepEqual([outline.width, outline.height], [32, 32]);
    let white = 0;
    let clear = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = outline.data.subarray(i, i + 4);
      if (a === 0) clear++;
      else {
        assert.deepEqual([r, g, b], [255, 255, 255], `pixel ${i / 4} is not white`);
        white++;
      }
    }
    // A drawing, not an empty or a solid square.
    assert.ok(white > 0 && clear > 0);
    assert.deepEqual(iconProblems(files), []);
  });

  it('a coloured pixel in the outline, or a wrong size, is named', () => {
    const outline = PNG.sync.read(files.outline);
    const at = (5 * 32 + 7) * 4;
    outline.data.set([200, 30, 30, 255], at);
    const problems = iconProblems({ color: files.outline, outline: PNG.sync.write(outline) });
    assert.deepEqual(problems, [
      'color.png must be 192×192 pixels, not 32×32',
      'outline.png must be white on transparent: pixel (7, 5) is rgba(200, 30, 30, 255)',
    ]);
  });
});
