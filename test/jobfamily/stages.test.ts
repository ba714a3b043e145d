import { describe, expect, it } from 'vitest';
import { classifyStep, DEFAULT_STAGE_RULES, inStageOrder, stageRulesFromConfig } from '../../src/jobfamily/stages.js';
import { DEFAULT_STAGE_ORDER } from '../../src/jobfamily/model.js';

describe('classifyStep (built-in staging, no role known)', () => {
  it.each([
    ['Qualified candidates will be invited to schedule a 30 minute screening call with one of our Global Recruiters.', 'screening'],
    ['Recruiter Screening', 'screening'],
    [
      'Next, candidates will be invited to schedule a 45-60 minute interview with a Director of Security to which the position reports to',
      'hiring-manager',
    ],
    ['Next, candidates will be invited to schedule a first interview with the Hiring Manager', 'hiring-manager'],
    [
      'Candidates will then be invited to schedule 3 separate 45-60 minute interviews with additional directors and managers within the Security Organization',
      'team-interviews',
    ],
    ['Candidates will then be invited to schedule 2-3 separate 45-60 minute interviews with cross-functional partners', 'team-interviews'],
    ['Next, candidates will be invited to interview with 2-5 team members', 'team-interviews'],
    ['45 Minute Peer Interview', 'team-interviews'],
    ['Next, candidates will be invited to schedule a second interview with one of our Regional Field Marketers.', 'team-interviews'],
    ['Candidates may be requested to meet again with the CISO for a shortened conversation', 'executive'],
    ['Candidates will then be invited to schedule an interview with CTO of Engineering', 'executive'],
    ['Candidates will then be invited to an 30 minute interview with the VP of Security', 'executive'],
    ['Interviews with members of E-Group', 'executive'],
    ['There may be a final executive interview', 'executive'],
    ['Next, candidates will be invited to schedule an interview with our Chief Legal Officer (as applicable).', 'executive'],
    ['Meet with PAO for 50 minutes', 'executive'],
    // "Executive" in a job title is not an executive interview.
    ['Next, candidates will be invited to schedule a first interview with an Executive Business Administrator', 'team-interviews'],
    ['Candidates will be invited to complete a take home assessment', 'assessment'],
    // A technical interview with an engineer is a team interview, not an exercise.
    ['Next, candidates will be invited to schedule a 90 minute technical interview with one of our Backend Engineers', 'team-interviews'],
    ['Then, candidates will present a business plan to include 30/60/90 day approach', 'assessment'],
    ['Candidates will then undergo reference checks.', 'references'],
    ['Successful candidates will subsequently be made an offer via email', 'offer'],
    ['Successful candidates will be made an offer after references are verified.', 'offer'],
    ['Next, candidates will move to the first round of interviews.', 'other'],
  ])('%s → %s', (text, stage) => {
    expect(classifyStep(text)).toBe(stage);
  });

  it('lets the first sentence decide when it can, the whole text otherwise', () => {
    expect(classifyStep('Interview with a VP of UX. The interviewer will ask about the teams you have managed.')).toBe('executive');
    expect(classifyStep('A second conversation. You will meet the hiring manager.')).toBe('hiring-manager');
  });

  it('falls back to other, and to the defaults when no rules are given', () => {
    expect(classifyStep('')).toBe('other');
    expect(classifyStep('Lunch with everyone', [])).toBe('other');
    expect(classifyStep('Screening call')).toBe(classifyStep('Screening call', DEFAULT_STAGE_RULES));
  });

  it('only names stages of the canonical order', () => {
    for (const rule of DEFAULT_STAGE_RULES) expect(DEFAULT_STAGE_ORDER).toContain(rule.stage);
  });
});

describe('stageRulesFromConfig', () => {
  it('builds case-insensitive, unicode rules that classifyStep applies in order', () => {
    const rules = stageRulesFromConfig([
      { name: 'culture', patterns: ['values? interview', 'kultur'] },
      { name: 'screening', patterns: ['\\bscreen'] },
    ]);
    expect(rules).toHaveLength(2);
    expect(rules[0]?.stage).toBe('culture');
    expect(rules[0]?.patterns.every((p) => p.flags.includes('i') && p.flags.includes('u'))).toBe(true);
    expect(classifyStep('A VALUES INTERVIEW with the team', rules)).toBe('culture');
    expect(classifyStep('Ein Gespräch über KULTUR', rules)).toBe('culture');
    expect(classifyStep('Screening call', rules)).toBe('screening');
    expect(classifyStep('Meet the CEO', rules)).toBe('other');
  });

  it('supports unicode classes in patterns', () => {
    const rules = stageRulesFromConfig([{ name: 'gespräch', patterns: ['\\p{Lu}{3}-Gespräch'] }]);
    expect(classifyStep('Das CEO-Gespräch', rules)).toBe('gespräch');
  });

  it('names the stage and pattern of an invalid regular expression', () => {
    expect(() => stageRulesFromConfig([{ name: 'offer', patterns: ['(unclosed'] }])).toThrow(/hiring stage "offer": \(unclosed/);
  });

  it('is not stateful when a rule carries the g flag', () => {
    const rules = [{ stage: 'offer', patterns: [/offer/g] }];
    expect(classifyStep('an offer', rules)).toBe('offer');
    expect(classifyStep('an offer', rules)).toBe('offer');
  });
});

describe('inStageOrder', () => {
  it('lists the distinct stages in canonical order', () => {
    expect(inStageOrder(['offer', 'screening', 'executive', 'team-interviews', 'executive', 'screening'], DEFAULT_STAGE_ORDER)).toEqual([
      'screening',
      'team-interviews',
      'executive',
      'offer',
    ]);
  });

  it('puts stages unknown to the order last, in order of appearance', () => {
    expect(inStageOrder(['culture', 'offer', 'lunch', 'screening', 'culture'], DEFAULT_STAGE_ORDER)).toEqual([
      'screening',
      'offer',
      'culture',
      'lunch',
    ]);
  });

  it('gives nothing for no steps', () => {
    expect(inStageOrder([], DEFAULT_STAGE_ORDER)).toEqual([]);
  });
});
