#!/usr/bin/env node
// The demo chain's state and identity, for scripts/demo.sh (plain Node, no packages):
//   demo-state.js dump RPC FILE            saves the chain (anvil_dumpState) to FILE atomically: a temporary
//                                          file beside it, flushed, then renamed over FILE
//   demo-state.js save-every RPC FILE MS   the same every MS milliseconds until stopped (a crash loses at most MS)
//   demo-state.js check FILE               exit 0 when FILE is a whole state file anvil can load, 1 when damaged
//   demo-state.js fingerprint RPC          prints this chain's fingerprint: a hash of the chain id and a random id
//                                          written into the chain at its first start (a fresh chain gets a new one,
//                                          although the demo's deterministic deployment gives it the same addresses)
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const crypto = require('crypto');

// An account of the demo's own, outside any key's reach: its code is one STOP byte (so it is never pruned as
// empty) and its storage slot 0 holds the random id.
const MARKER = '0x000000000000000000000000000000746f6c6c67';
const SLOT = '0x0';

async function rpc(url, method, params = []) {
    const response = await fetch(url, {
        method: 'POST',
        headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({jsonrpc: '2.0', id: 1, method, params}),
        signal: AbortSignal.timeout(30000),
    });
    const body = await response.json();
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result;
}

async function dump(url, file) {
    const hex = await rpc(url, 'anvil_dumpState');
    let bytes = Buffer.from(hex.replace(/^0x/, ''), 'hex');
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = zlib.gunzipSync(bytes);
    JSON.parse(bytes.toString('utf8')); // never replace a good file with a bad one
    const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
    const fd = fs.openSync(temporary, 'w');
    try {
        fs.writeSync(fd, bytes);
        fs.fsyncSync(fd);
    } finally {
        fs.closeSync(fd);
    }
    fs.renameSync(temporary, file);
    const dir = fs.openSync(path.dirname(file), 'r');
    try { fs.fsyncSync(dir); } finally { fs.closeSync(dir); }
}

function check(file) {
    try {
        const state = JSON.parse(fs.readFileSync(file, 'utf8'));
        return state !== null && typeof state === 'object' && typeof state.accounts === 'object';
    } catch {
        return false;
    }
}

async function fingerprint(url) {
    const chainId = await rpc(url, 'eth_chainId');
    let id = await rpc(url, 'eth_getStorageAt', [MARKER, SLOT, 'latest']);
    if (BigInt(id) === 0n) {
        id = '0x' + crypto.randomBytes(32).toString('hex');
        await rpc(url, 'anvil_setCode', [MARKER, '0x00']);
        await rpc(url, 'anvil_setStorageAt', [MARKER, SLOT, id]);
    }
    return crypto.createHash('sha256').update(`tollgate-demo:${BigInt(chainId)}:${id.toLowerCase()}`).digest('hex');
}

async function main() {
    const [command, ...args] = process.argv.slice(2);
    switch (command) {
        case 'dump':
            await dump(args[0], args[1]);
            break;
        case 'save-every': {
            const every = Number(args[2]);
            for (;;) {
                await new Promise(resolve => setTimeout(resolve, every));
                try {
                    await dump(args[0], args[1]);
                } catch (e) {
                    console.error(`saving the chain failed (kept the last saved state): ${e.message}`);
                }
            }
        }
        case 'check':
            process.exit(check(args[0]) ? 0 : 1);
        case 'fingerprint':
            console.log(await fingerprint(args[0]));
            break;
        default:
            console.error('usage: demo-state.js dump|save-every|check|fingerprint ...');
            process.exit(2);
    }
}

process.on('SIGTERM', () => process.exit(0)); // a save in progress is only a temporary file: nothing to undo
main().catch(e => {
    console.error(e.message);
    process.exit(1);
});
