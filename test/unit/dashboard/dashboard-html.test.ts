import { describe, expect, it } from 'vitest';
import { dashboardHtml } from '../../../dashboard/dashboard-html.js';
import { DASHBOARD_SCRIPT } from '../../../dashboard/dashboard-script.js';

describe('dashboardHtml', () => {
  it('is one self-contained page: no external scripts, styles or images', () => {
    const html = dashboardHtml();

    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
    expect(html).not.toMatch(/url\(/);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('polls the small summary relative to the page with its ETag, and never downloads the whole state', () => {
    const html = dashboardHtml();

    expect(html).toContain("get('summary', 'dashboard/summary'");
    expect(html).toContain("headers['if-none-match']");
    expect(html).toContain('POLL_MS = 250');
    expect(html).not.toContain('dashboard/state');
  });

  it('ships a script the browser can parse (the template literal keeps its escapes)', () => {
    // Compiles without running: a stray newline inside a string literal would throw a SyntaxError here.
    expect(() => new Function(DASHBOARD_SCRIPT)).not.toThrow();
  });

  it('carries uPlot inline for the rollout chart', () => {
    const html = dashboardHtml();

    expect(html).toContain('var uPlot=');
    expect(html).toContain('new uPlot(');
  });

  it('stays small: under 120 KB before compression, uPlot included', () => {
    expect(Buffer.byteLength(dashboardHtml())).toBeLessThan(120 * 1024);
  });

  it('announces updates politely to assistive technology', () => {
    const html = dashboardHtml();

    expect(html).toContain('role="status" aria-live="polite"');
  });
});
