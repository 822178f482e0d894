// Independent verification of the app's credentials with the JavaScript stack that most
// wallets and verifier services are built on (jsonld.js, @digitalbazaar/vc with Data
// Integrity eddsa-rdfc-2022 and Bitstring Status List, and `jose` for VC-JWT). It shares no
// code with the project: it reads a job (JSON, path in argv[2]) and prints results as JSON.
//
// Job: {
//   site:      the public base URL the documents are issued under (SITE_URL),
//   server:    where that site answers on loopback (the test's live server),
//   contexts:  {context URL: path of the pinned copy},
//   expand:    [URLs of served JSON-LD documents to expand in JSON-LD safe mode],
//   credentials: [{label, document, jwt}]
// }
// The document loader serves the pinned contexts, fetches the site's documents from the
// server (a URL with a fragment resolves to the node with that id, carrying its document's
// @context, as controller documents are dereferenced) and refuses every other URL.
import {readFile} from 'node:fs/promises';

import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import * as jose from 'jose';
import jsonld from 'jsonld';

const job = JSON.parse(await readFile(process.argv[2], 'utf8'));
const site = job.site.replace(/\/$/, '');
const server = job.server.replace(/\/$/, '');

const contexts = new Map();
for(const [url, path] of Object.entries(job.contexts)) {
  contexts.set(url, JSON.parse(await readFile(path, 'utf8')));
}

const fetched = new Map();
async function fetchSiteDocument(url) {
  if(!fetched.has(url)) {
    if(!url.startsWith(site + '/')) {
      throw new Error(`Refusing to load a URL outside the site: ${url}`);
    }
    const response = await fetch(server + url.slice(site.length), {
      headers: {accept: 'application/ld+json, application/json'},
      redirect: 'error',
    });
    // A revoked OB 2.0 assertion answers 410 Gone with its (JSON-LD) revocation notice.
    if(!response.ok && response.status !== 410) {
      throw new Error(`GET ${url} answered ${response.status}`);
    }
    fetched.set(url, await response.json());
  }
  return fetched.get(url);
}

function findNode(value, id) {
  if(Array.isArray(value)) {
    for(const item of value) {
      const found = findNode(item, id);
      if(found) {
        return found;
      }
    }
  } else if(value && typeof value === 'object') {
    if(value.id === id) {
      return value;
    }
    for(const [key, item] of Object.entries(value)) {
      if(key !== '@context') {
        const found = findNode(item, id);
        if(found) {
          return found;
        }
      }
    }
  }
  return null;
}

async function documentLoader(url) {
  if(contexts.has(url)) {
    return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
  }
  const [base, fragment] = url.split('#');
  const document = await fetchSiteDocument(base);
  if(fragment === undefined) {
    return {contextUrl: null, documentUrl: url, document};
  }
  const node = findNode(document, url);
  if(!node) {
    throw new Error(`${base} has no node ${url}`);
  }
  return {
    contextUrl: null, documentUrl: url,
    document: {'@context': document['@context'], ...node},
  };
}

function message(error) {
  if(!error) {
    return '';
  }
  if(Array.isArray(error)) {
    return error.map(message).join('; ');
  }
  const details = error.details ? ` ${JSON.stringify(error.details).slice(0, 400)}` : '';
  const errors = error.errors ? ` [${message(error.errors)}]` : '';
  return `${error.name}: ${error.message}${details}${errors}`;
}

async function safeExpand(document) {
  try {
    await jsonld.expand(document, {documentLoader, safe: true});
    return {ok: true, error: ''};
  } catch(error) {
    return {ok: false, error: message(error)};
  }
}

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});

const statusOptions = {
  documentLoader, suite,
  verifyBitstringStatusListCredential: true, verifyMatchingIssuers: true,
};
const withStatus = options => checkStatus({...options, ...statusOptions});
const proofOnly = async () => ({verified: true});

async function verifyDataIntegrity(credential, {statusCheck = proofOnly} = {}) {
  // The proof alone, or (with `withStatus`) the proof and the status, as wallets do.
  const result = await vc.verifyCredential({
    credential, suite, documentLoader, checkStatus: statusCheck,
  });
  // The status library "verifies" a status it could check; a set bit means revoked.
  const revoked = (result.statusResult?.results ?? []).some(entry => entry.status === true);
  return {
    ok: result.verified === true && !revoked,
    error: revoked ? 'revoked' : message(result.error),
  };
}

async function status(credential) {
  const result = await withStatus({credential});
  if(!result.verified) {
    return {checked: false, revoked: null, error: message(result.error)};
  }
  const revoked = result.results.some(entry => entry.status === true);
  return {checked: true, revoked, error: ''};
}

function tampered(document) {
  const copy = structuredClone(document);
  copy.credentialSubject.achievement.name += ' (with honours)';
  return copy;
}

// OB 3.0 section 8.2: the key is the header's `jwk`, or the JWK that the `kid` URI
// dereferences to; RS256 is the algorithm every verifier supports.
async function verifyJwt(token, document) {
  try {
    const header = jose.decodeProtectedHeader(token);
    let jwk = header.jwk;
    if(!jwk) {
      if(typeof header.kid !== 'string' || !/^https?:\/\//.test(header.kid)) {
        throw new Error(`"kid" is not a URI: ${header.kid}`);
      }
      jwk = await fetchSiteDocument(header.kid);
    }
    const key = await jose.importJWK(jwk, header.alg);
    const {payload} = await jose.jwtVerify(token, key, {algorithms: ['RS256']});
    const problems = [];
    if(payload.jti !== document.id) {
      problems.push('jti is not the credential id');
    }
    if(payload.iss !== document.issuer.id) {
      problems.push('iss is not the issuer id');
    }
    const subjectId = document.credentialSubject.id;
    if('sub' in payload && payload.sub !== subjectId) {
      problems.push(`sub ${payload.sub} is not credentialSubject.id ${subjectId}`);
    }
    if(payload.id !== document.id) {
      problems.push('the payload is not the credential');
    }
    return {ok: problems.length === 0, alg: header.alg, error: problems.join('; ')};
  } catch(error) {
    return {ok: false, alg: null, error: message(error)};
  }
}

function tamperedJwt(token) {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  claims.name = `${claims.name} (with honours)`;
  const forged = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return [header, forged, signature].join('.');
}

const output = {documents: {}, credentials: []};
for(const url of job.expand) {
  output.documents[url] = await safeExpand(await fetchSiteDocument(url));
}
for(const {label, document, jwt} of job.credentials) {
  output.credentials.push({
    label,
    expansion: await safeExpand(document),
    dataIntegrity: await verifyDataIntegrity(document),
    full: await verifyDataIntegrity(document, {statusCheck: withStatus}),
    tamperedDataIntegrity: await verifyDataIntegrity(tampered(document)),
    status: await status(document),
    jwt: await verifyJwt(jwt, document),
    tamperedJwt: await verifyJwt(tamperedJwt(jwt), document),
  });
}
process.stdout.write(JSON.stringify(output));
