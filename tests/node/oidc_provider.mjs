// A real OpenID Connect provider on 127.0.0.1 for the login tests (oidc-provider, the certified implementation).
//
//   node oidc_provider.mjs [konfig.json]
//
// Reads clients and users from the JSON file (default: oidc_testanvandare.json next to this script), listens on a
// free loopback port and prints one line "LYSSNAR http://127.0.0.1:<port>" when ready. Users sign in on an
// interactive HTML login page with e-mail and password; the ID token carries email, name and groups, as Microsoft
// Entra ID does when the app registration emits the groups claim.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateKeyPairSync, randomBytes } from 'node:crypto';

import Provider from 'oidc-provider';

const har = dirname(fileURLToPath(import.meta.url));
const konfig = JSON.parse(readFileSync(process.argv[2] || join(har, 'oidc_testanvandare.json'), 'utf8'));
const anvandare = new Map(konfig.anvandare.map((a) => [a.email.toLowerCase(), a]));
const perSub = new Map(konfig.anvandare.map((a) => [a.sub, a]));

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

function inloggningssida(uid, fel = '') {
  return `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Logga in – testleverantör</title></head>
<body><main><h1>Logga in</h1>
${fel ? `<p role="alert" id="fel">${esc(fel)}</p>` : ''}
<form method="post" action="/interaction/${esc(uid)}/login" autocomplete="off">
<label for="epost">E-post</label> <input id="epost" name="epost" type="email" required autofocus>
<label for="losenord">Lösenord</label> <input id="losenord" name="losenord" type="password" required>
<button type="submit">Logga in</button>
</form></main></body></html>`;
}

async function lasFormular(req) {
  let text = '';
  for await (const del of req) text += del;
  return new URLSearchParams(text);
}

const server = http.createServer();
server.listen(0, '127.0.0.1', async () => {
  const port = server.address().port;
  const issuer = `http://127.0.0.1:${port}`;
  // A fresh signing key per run (Node's own crypto), so no key material is ever committed.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-nyckel', use: 'sig', alg: 'RS256' };

  const provider = new Provider(issuer, {
    clients: konfig.klienter.map((k) => ({ grant_types: ['authorization_code'], response_types: ['code'], ...k })),
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    // The claims the dashboard reads; the ID token carries them (as Entra ID puts email/groups in the ID token),
    // because Streamlit reads the identity from the ID token, not from the userinfo endpoint.
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'], groups: ['groups'] },
    scopes: ['openid', 'email', 'profile', 'groups'],
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    pkce: { required: () => true },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(ctx, sub) {
      const a = perSub.get(sub);
      if (!a) return undefined;
      return {
        accountId: sub,
        async claims() {
          return { sub, email: a.email, email_verified: true, name: a.name, preferred_username: a.email, groups: a.groups };
        },
      };
    },
    // A first-party app: the city's users are not asked to consent to their own dashboard.
    async loadExistingGrant(ctx) {
      const befintlig = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (befintlig) return ctx.oidc.provider.Grant.find(befintlig);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile groups');
      await grant.save();
      return grant;
    },
  });
  provider.on('server_error', (ctx, err) => console.error('server_error', err));
  const oidc = provider.callback();

  server.on('request', async (req, res) => {
    const m = req.url.match(/^\/interaction\/([^/?]+)(\/login)?/);
    if (!m) return oidc(req, res);
    try {
      const detaljer = await provider.interactionDetails(req, res);
      if (detaljer.uid !== m[1]) throw new Error('fel interaktion');
      if (req.method === 'GET' && !m[2]) {
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        return res.end(inloggningssida(detaljer.uid));
      }
      if (req.method === 'POST' && m[2]) {
        const form = await lasFormular(req);
        const a = anvandare.get((form.get('epost') || '').toLowerCase());
        if (!a || a.losenord !== form.get('losenord')) {
          res.statusCode = 401;
          res.setHeader('Content-Type', 'text/html; charset=utf-8');
          return res.end(inloggningssida(detaljer.uid, 'Fel e-post eller lösenord.'));
        }
        return provider.interactionFinished(req, res, { login: { accountId: a.sub } }, { mergeWithLastSubmission: false });
      }
      res.statusCode = 405;
      return res.end();
    } catch (err) {
      res.statusCode = 400;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      return res.end(`Inloggningen kunde inte fortsätta: ${err.message}`);
    }
  });
  console.log(`LYSSNAR ${issuer}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
