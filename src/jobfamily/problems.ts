/** Problems found on a page, each with the severity its code implies (DESIGN §3). */
import type { Problem, ProblemCode, Severity } from './model.js';

const SEVERITY: Record<ProblemCode, Severity> = {
  'front-matter-missing': 'error',
  'front-matter-unterminated': 'error',
  'front-matter-invalid': 'error',
  'no-title': 'error',
  'role-without-grade': 'warning',
  'role-without-hiring-process': 'warning',
  'hiring-step-without-stage': 'warning',
  'hiring-process-incomplete': 'warning',
  'duplicate-hiring-process': 'warning',
  'empty-section': 'warning',
  'duplicate-role': 'warning',
  unreadable: 'error',
};

export function problem(code: ProblemCode, line: number, message: string): Problem {
  return { severity: SEVERITY[code], code, message, line: Math.max(1, Math.trunc(line) || 1) };
}
