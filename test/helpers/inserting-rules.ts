import { allRules } from '../../src/rules/index.js';

/**
 * The rules whose fixes only insert lines. The others rewrite a line by design: limits may grow a flow
 * mapping on its line, env-secrets moves credentials, ports-bind-localhost adds a host address to a port,
 * sensitive-mounts makes a bind read-only.
 */
export const REWRITING_RULES = ['resource-limits', 'pids-limit', 'env-secrets', 'ports-bind-localhost', 'sensitive-mounts'];

export const INSERTING_RULES = allRules.filter((rule) => !REWRITING_RULES.includes(rule.meta.id));
