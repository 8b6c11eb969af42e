// Reads OWM map files with OnlineWardleyMaps' own engine (npm `wmlandscape`) and prints,
// per file, the elements it parsed as JSON: the reference our reader is compared with.
// wmlandscape bundles its React UI; the parser needs none of it, so UI packages that are
// not installed are replaced by inert stand-ins and its console chatter is silenced.
'use strict';
const Module = require('module');
const fs = require('fs');

const originalLoad = Module._load;
function inert() {
    const f = function () {};
    return new Proxy(f, {
        get: (_t, p) => (p === '__esModule' ? false : p === Symbol.toPrimitive ? () => '' : inert()),
        apply: () => inert(),
        construct: () => inert(),
    });
}
Module._load = function (request, ...rest) {
    try {
        return originalLoad.call(this, request, ...rest);
    } catch (err) {
        if (request.startsWith('.') || request.startsWith('/')) throw err;
        return inert();
    }
};

const write = process.stdout.write.bind(process.stdout);
console.log = console.warn = console.error = console.info = () => {};
const engine = require(process.env.WMLANDSCAPE || 'wmlandscape');

function component(c) {
    return {
        name: c.name,
        type: c.type,
        visibility: c.visibility,
        maturity: c.maturity,
        line: c.line,
        label: c.label,
        inertia: !!c.inertia,
        evolving: !!c.evolving,
        evolveMaturity: c.evolveMaturity ?? null,
        pipeline: !!c.pipeline,
        decorators: c.decorators || {},
        url: c.url ?? null,
    };
}

function read(text) {
    // The switches OWM itself runs with (block pipelines read, accelerators drawn...).
    const m = new engine.UnifiedConverter(engine.FeatureSwitches.featureSwitches).parse(text);
    return {
        title: m.title,
        showEvolutionAxis: m.showEvolutionAxis ?? null,
        showValueChainAxis: m.showValueChainAxis ?? null,
        presentation: m.presentation,
        evolution: m.evolution,
        errors: m.errors,
        components: [
            ...m.components,
            ...m.anchors,
            ...m.submaps,
            ...(m.markets || []).map((c) => ({ ...c, type: 'market' })),
            ...(m.ecosystems || []).map((c) => ({ ...c, type: 'ecosystem' })),
        ].map(component),
        evolved: (m.evolved || []).map((e) => ({ name: e.name, maturity: e.maturity, override: e.override ?? null, line: e.line })),
        links: (m.links || []).map((l) => ({
            start: l.start, end: l.end, flow: !!l.flow, flowValue: l.flowValue ?? null,
            future: !!l.future, past: !!l.past, context: l.context ?? null,
        })),
        pipelines: (m.pipelines || []).map((p) => ({
            name: p.name, visibility: p.visibility, maturity1: p.maturity1 ?? null, maturity2: p.maturity2 ?? null,
            hidden: !!p.hidden, line: p.line,
            components: (p.components || []).map((c) => ({ name: c.name, maturity: c.maturity, line: c.line })),
        })),
        notes: (m.notes || []).map((n) => ({ text: n.text, visibility: n.visibility, maturity: n.maturity, line: n.line })),
        annotations: (m.annotations || []).map((a) => ({ number: a.number, occurances: a.occurances, text: a.text, line: a.line })),
        attitudes: (m.attitudes || []).map((a) => ({ attitude: a.attitude, line: a.line })),
        accelerators: (m.accelerators || []).map((a) => ({ name: a.name, visibility: a.visibility, maturity: a.maturity, deaccelerator: !!a.deaccelerator, line: a.line })),
        methods: (m.methods || []).map((x) => ({ name: x.name, method: x.method ?? null, decorators: x.decorators ?? null, line: x.line })),
        urls: (m.urls || []).map((u) => ({ name: u.name, url: u.url, line: u.line })),
    };
}

const out = {};
for (const path of process.argv.slice(2)) {
    try {
        out[path] = read(fs.readFileSync(path, 'utf8'));
    } catch (err) {
        out[path] = { crash: String(err && err.message) };
    }
}
write(JSON.stringify(out) + '\n');
