/**
 * Regular expressions for routing rules, matched in linear time.
 *
 * Rules are written by people and evaluated on every incoming alert, so a pattern must never be
 * able to stall the webhook path. Patterns use JavaScript syntax (`u` mode) but are compiled to a
 * Thompson NFA and run by a Pike VM: time is O(input × program), whatever the pattern. On top of
 * that, patterns with the classic catastrophic-backtracking shapes (nested repetition such as
 * `(a+)+`, repeated overlapping alternatives such as `(a|a)*`) are rejected at rule creation, so
 * a rule never depends on the engine being linear, and features that cannot be matched in linear
 * time (backreferences, lookarounds) are refused.
 *
 * Matching is a search (like `RegExp.prototype.test`): anchor with `^…$` for a whole-value match.
 */
export const MAX_REGEX_LENGTH = 512;
/** Compiled program size; bounded repetition such as `x{1000}` expands and counts here. */
export const MAX_PROGRAM_SIZE = 4000;
/** Only the first this-many code points of a value are searched. */
export const MAX_MATCH_INPUT = 4096;

export class UnsafeRegexError extends Error {
  override name = 'UnsafeRegexError';
}

export interface SafeRegex {
  readonly source: string;
  test(input: string): boolean;
}

type CharTest = (ch: string) => boolean;
type AssertKind = 'start' | 'end' | 'word-boundary' | 'not-word-boundary';

type Node =
  | { t: 'empty' }
  | { t: 'char'; test: CharTest; literal: string | null }
  | { t: 'assert'; kind: AssertKind }
  | { t: 'cat'; items: Node[] }
  | { t: 'alt'; alts: Node[] }
  | { t: 'rep'; node: Node; min: number; max: number | null };

type Instruction =
  | { op: 'char'; test: CharTest }
  | { op: 'split'; x: number; y: number }
  | { op: 'jmp'; x: number }
  | { op: 'assert'; kind: AssertKind }
  | { op: 'match' };

const WORD = /^[A-Za-z0-9_]$/;
const classTests = new Map<string, CharTest>();

/** A single-character test built from JS regex syntax: only ever run on one code point, so constant time. */
function charTest(source: string): CharTest {
  let cached = classTests.get(source);
  if (cached === undefined) {
    const re = new RegExp(`^(?:${source})$`, 'u');
    cached = (ch) => re.test(ch);
    if (classTests.size < 10_000) classTests.set(source, cached);
  }
  return cached;
}

class Parser {
  private i = 0;
  constructor(private readonly cps: string[]) {}

  parse(): Node {
    const node = this.alternation();
    if (this.i < this.cps.length) throw new UnsafeRegexError(`unexpected "${this.cps[this.i]}"`);
    return node;
  }

  private peek(offset = 0): string | undefined {
    return this.cps[this.i + offset];
  }

  private alternation(): Node {
    const alts = [this.concatenation()];
    while (this.peek() === '|') {
      this.i++;
      alts.push(this.concatenation());
    }
    return alts.length === 1 ? (alts[0] as Node) : { t: 'alt', alts };
  }

  private concatenation(): Node {
    const items: Node[] = [];
    for (let ch = this.peek(); ch !== undefined && ch !== '|' && ch !== ')'; ch = this.peek()) {
      items.push(this.quantified());
    }
    if (items.length === 0) return { t: 'empty' };
    return items.length === 1 ? (items[0] as Node) : { t: 'cat', items };
  }

  private quantified(): Node {
    const atom = this.atom();
    const quantifier = this.quantifier();
    if (quantifier === undefined) return atom;
    if (this.peek() === '?') this.i++; // lazy: irrelevant when only asking "does it match"
    if (atom.t === 'assert') throw new UnsafeRegexError('a quantifier cannot follow an assertion');
    if (quantifier.max === null || quantifier.max > 1) {
      if (repeats(atom)) {
        throw new UnsafeRegexError('nested quantifiers (such as "(a+)+") can backtrack catastrophically');
      }
      if (hasAmbiguousAlternation(atom)) {
        throw new UnsafeRegexError(
          'a repeated group whose alternatives can start with the same character (such as "(a|ab)*") can backtrack catastrophically',
        );
      }
    }
    return { t: 'rep', node: atom, ...quantifier };
  }

  private quantifier(): { min: number; max: number | null } | undefined {
    const ch = this.peek();
    const simple =
      ch === '*'
        ? { min: 0, max: null }
        : ch === '+'
          ? { min: 1, max: null }
          : ch === '?'
            ? { min: 0, max: 1 }
            : undefined;
    if (simple !== undefined) {
      this.i++;
      return simple;
    }
    if (ch !== '{') return undefined;
    const rest = this.cps.slice(this.i).join('');
    const match = /^\{(\d+)(,(\d*))?\}/.exec(rest);
    if (match === null) throw new UnsafeRegexError('malformed {n,m} quantifier');
    this.i += match[0].length;
    const min = Number(match[1]);
    const max = match[2] === undefined ? min : match[3] === '' ? null : Number(match[3]);
    if (min > 1000 || (max !== null && max > 1000)) throw new UnsafeRegexError('repetition counts are limited to 1000');
    if (max !== null && max < min) throw new UnsafeRegexError('numbers out of order in {n,m} quantifier');
    return { min, max };
  }

  private atom(): Node {
    const ch = this.peek();
    this.i++;
    switch (ch) {
      case '(':
        return this.group();
      case '^':
        return { t: 'assert', kind: 'start' };
      case '$':
        return { t: 'assert', kind: 'end' };
      case '.':
        return { t: 'char', test: charTest('.'), literal: null };
      case '[':
        return this.characterClass();
      case '\\':
        return this.escape();
      case '*':
      case '+':
      case '?':
      case '{':
        throw new UnsafeRegexError(`nothing to repeat before "${ch}"`);
      case undefined:
        throw new UnsafeRegexError('unexpected end of pattern');
      default:
        return { t: 'char', test: (c) => c === ch, literal: ch };
    }
  }

  private group(): Node {
    if (this.peek() === '?') {
      const next = this.peek(1);
      if (next === ':') {
        this.i += 2;
      } else if (next === '<' && this.peek(2) !== '=' && this.peek(2) !== '!') {
        const close = this.cps.indexOf('>', this.i);
        if (close < 0) throw new UnsafeRegexError('unterminated group name');
        this.i = close + 1;
      } else {
        throw new UnsafeRegexError('lookahead and lookbehind assertions are not supported');
      }
    }
    const inner = this.alternation();
    if (this.peek() !== ')') throw new UnsafeRegexError('unterminated group');
    this.i++;
    return inner;
  }

  private characterClass(): Node {
    const start = this.i - 1;
    if (this.peek() === '^') this.i++;
    for (;;) {
      const ch = this.peek();
      if (ch === undefined) throw new UnsafeRegexError('unterminated character class');
      this.i++;
      if (ch === ']') break;
      if (ch === '\\') this.i++;
    }
    const source = this.cps.slice(start, this.i).join('');
    return { t: 'char', test: charTest(source), literal: null };
  }

  private escape(): Node {
    const ch = this.peek();
    if (ch === undefined) throw new UnsafeRegexError('pattern ends with a backslash');
    if (ch === 'b' || ch === 'B') {
      this.i++;
      return { t: 'assert', kind: ch === 'b' ? 'word-boundary' : 'not-word-boundary' };
    }
    if (/[1-9]/.test(ch) || ch === 'k') throw new UnsafeRegexError('backreferences are not supported');
    const start = this.i - 1;
    this.i++;
    const rest = () => this.cps.slice(this.i).join('');
    if (ch === 'p' || ch === 'P' || (ch === 'u' && this.peek() === '{')) {
      const close = this.cps.indexOf('}', this.i);
      if (close < 0) throw new UnsafeRegexError('unterminated escape');
      this.i = close + 1;
    } else if (ch === 'u') {
      const pair = /^[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}/.exec(rest());
      this.i += pair === null ? 4 : 10;
    } else if (ch === 'x') {
      this.i += 2;
    } else if (ch === 'c') {
      this.i += 1;
    }
    const source = this.cps.slice(start, this.i).join('');
    const literal = /^\\[\\^$.|?*+()[\]{}/-]$/.test(source) ? (source[1] as string) : null;
    return { t: 'char', test: literal === null ? charTest(source) : (c) => c === literal, literal };
  }
}

/** Whether a node contains a repetition of more than one. */
function repeats(node: Node): boolean {
  switch (node.t) {
    case 'rep':
      return node.max === null || node.max > 1 || repeats(node.node);
    case 'cat':
      return node.items.some(repeats);
    case 'alt':
      return node.alts.some(repeats);
    default:
      return false;
  }
}

/** The literal first character of a node, when it is one fixed character. */
function firstLiteral(node: Node): string | null {
  switch (node.t) {
    case 'char':
      return node.literal;
    case 'cat':
      return node.items[0] === undefined ? null : firstLiteral(node.items[0]);
    case 'rep':
      return node.min > 0 ? firstLiteral(node.node) : null;
    default:
      return null;
  }
}

/** Alternatives that may begin with the same character, so a repetition could split input many ways. */
function hasAmbiguousAlternation(node: Node): boolean {
  switch (node.t) {
    case 'alt': {
      const firsts = node.alts.map(firstLiteral);
      if (firsts.some((first) => first === null)) return true;
      return new Set(firsts).size !== firsts.length || node.alts.some(hasAmbiguousAlternation);
    }
    case 'cat':
      return node.items.some(hasAmbiguousAlternation);
    case 'rep':
      return hasAmbiguousAlternation(node.node);
    default:
      return false;
  }
}

function compile(node: Node, program: Instruction[]): void {
  if (program.length > MAX_PROGRAM_SIZE) throw new UnsafeRegexError('pattern too large once expanded');
  switch (node.t) {
    case 'empty':
      return;
    case 'char':
      program.push({ op: 'char', test: node.test });
      return;
    case 'assert':
      program.push({ op: 'assert', kind: node.kind });
      return;
    case 'cat':
      for (const item of node.items) compile(item, program);
      return;
    case 'alt': {
      const jumps: Array<{ op: 'jmp'; x: number }> = [];
      node.alts.forEach((alt, index) => {
        if (index < node.alts.length - 1) {
          const split: Instruction = { op: 'split', x: program.length + 1, y: -1 };
          program.push(split);
          compile(alt, program);
          const jmp = { op: 'jmp' as const, x: -1 };
          program.push(jmp);
          jumps.push(jmp);
          split.y = program.length;
        } else {
          compile(alt, program);
        }
      });
      for (const jmp of jumps) jmp.x = program.length;
      return;
    }
    case 'rep': {
      for (let k = 0; k < node.min; k++) compile(node.node, program);
      if (node.max === null) {
        const split: Instruction = { op: 'split', x: program.length + 1, y: -1 };
        const loop = program.length;
        program.push(split);
        compile(node.node, program);
        program.push({ op: 'jmp', x: loop });
        split.y = program.length;
        return;
      }
      const splits: Array<{ op: 'split'; x: number; y: number }> = [];
      for (let k = node.min; k < node.max; k++) {
        const split = { op: 'split' as const, x: program.length + 1, y: -1 };
        program.push(split);
        splits.push(split);
        compile(node.node, program);
      }
      for (const split of splits) split.y = program.length;
      return;
    }
  }
}

/** Compiles a pattern, or throws UnsafeRegexError saying why it is refused. */
export function compileSafeRegex(pattern: string): SafeRegex {
  if (pattern.length > MAX_REGEX_LENGTH) {
    throw new UnsafeRegexError(`patterns are limited to ${MAX_REGEX_LENGTH} characters`);
  }
  try {
    new RegExp(pattern, 'u');
  } catch (error) {
    throw new UnsafeRegexError(`invalid regular expression: ${(error as Error).message}`);
  }
  const program: Instruction[] = [];
  compile(new Parser(Array.from(pattern)).parse(), program);
  program.push({ op: 'match' });
  if (program.length > MAX_PROGRAM_SIZE) throw new UnsafeRegexError('pattern too large once expanded');
  return {
    source: pattern,
    test: (input) => run(program, Array.from(input.slice(0, MAX_MATCH_INPUT * 2)).slice(0, MAX_MATCH_INPUT)),
  };
}

/** Pike VM: all threads advance in lockstep, each program counter at most once per position. */
function run(program: Instruction[], input: string[]): boolean {
  const seen = new Int32Array(program.length);
  let generation = 0;
  let matched = false;
  const isWord = (index: number) => index >= 0 && index < input.length && WORD.test(input[index] as string);

  const add = (list: number[], start: number, position: number) => {
    const stack = [start];
    while (stack.length > 0) {
      const pc = stack.pop() as number;
      if (seen[pc] === generation) continue;
      seen[pc] = generation;
      const instruction = program[pc] as Instruction;
      switch (instruction.op) {
        case 'jmp':
          stack.push(instruction.x);
          break;
        case 'split':
          stack.push(instruction.y, instruction.x);
          break;
        case 'assert': {
          const boundary = isWord(position - 1) !== isWord(position);
          const holds =
            instruction.kind === 'start'
              ? position === 0
              : instruction.kind === 'end'
                ? position === input.length
                : instruction.kind === 'word-boundary'
                  ? boundary
                  : !boundary;
          if (holds) stack.push(pc + 1);
          break;
        }
        case 'match':
          matched = true;
          break;
        case 'char':
          list.push(pc);
          break;
      }
    }
  };

  generation++;
  let current: number[] = [];
  add(current, 0, 0);
  for (let position = 0; position < input.length && !matched; position++) {
    const ch = input[position] as string;
    generation++;
    const next: number[] = [];
    for (const pc of current) {
      const instruction = program[pc] as Instruction;
      if (instruction.op === 'char' && instruction.test(ch)) add(next, pc + 1, position + 1);
    }
    // A search: a match may also begin at the next position.
    add(next, 0, position + 1);
    current = next;
  }
  return matched;
}
