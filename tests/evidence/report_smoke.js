// Runs report.html's script against a stand-in DOM: every element accepts any call, and the
// data block returns the real JSON. Catches script errors on real data where no browser exists.
'use strict';
const fs = require('fs');
const html = fs.readFileSync(process.argv[2], 'utf8');
const data = html.match(/<script type="application\/json" id="bio2-data">([\s\S]*?)<\/script>/)[1];
const script = html.match(/<script>([\s\S]*?)<\/script>/)[1];
let calls = 0;
const listeners = [];
function node(name) {
  const target = function () {};
  target.children = [];
  return new Proxy(target, {
    get(t, prop) {
      if (prop === Symbol.toPrimitive) { return () => 0; }
      if (prop === 'textContent' && name === 'bio2-data') { return data; }
      if (prop === 'addEventListener') { return (type, fn) => { listeners.push(fn); }; }
      if (prop === 'appendChild') { return (k) => { t.children.push(k); return k; }; }
      if (prop === 'children' || prop === 'childNodes') { return t.children; }
      if (prop === 'length') { return 0; }
      if (prop === 'value') { return ''; }
      if (prop in t) { return t[prop]; }
      return node(String(prop));
    },
    set(t, prop, v) { t[prop] = v; return true; },
    apply() { calls += 1; return node('result'); },
  });
}
const document = {
  getElementById: (id) => node(id),
  createElement: (tag) => node(tag),
  createElementNS: (ns, tag) => node(tag),
  createTextNode: (text) => node('#text'),
  querySelectorAll: () => [],
  querySelector: () => node('q'),
  addEventListener: () => {},
  body: node('body'),
  documentElement: node('html'),
};
const window = { addEventListener: () => {}, location: { hash: '' }, matchMedia: () => ({ matches: false }) };
new Function('document', 'window', script)(document, window);
// then every handler once (expand a measure, filter, search...), as a user would
for (let i = 0; i < listeners.length && i < 5000; i += 1) { listeners[i](node('event')); }
console.log('ok ' + calls + ' ' + listeners.length);
