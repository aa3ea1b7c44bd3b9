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
/**
 * Compiled program size; bounded repetition such as `x{1000}` expands and counts here. At 4000,
 * `(?:a?){1000}a{1000}` was accepted and took ~200 ms per evaluation (issue 18).
 */
export const MAX_PROGRAM_SIZE = 1000;
/** Only the first this-many code points of a value are searched. */
export const MAX_MATCH_INPUT = 4096;
/**
 * The VM's work per evaluation is at most (program size × code points searched); the input
 * searched is cut so that this product stays under this budget, which keeps every evaluation of
 * any accepted pattern to a few milliseconds. Small patterns (up to 62 instructions, most
 * real ones) search the whole 4096 code points; the largest search the first 256.
 */
export const MAX_MATCH_WORK = 256_000;

export class UnsafeRegexError extends Error {
  override name = 'UnsafeRegexError';
}

export interface SafeRegex {
  readonly source: string;
  /** How many leading code points of a value are searched (see MAX_MATCH_WORK). */
  readonly inputLimit: number;
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
  | { op: 'char'; test: CharTest; literal: string | null }
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

function tooLarge(): UnsafeRegexError {
  return new UnsafeRegexError(
    `pattern too large once expanded (limit ${MAX_PROGRAM_SIZE} instructions): use smaller repetition counts or fewer alternatives`,
  );
}

function compile(node: Node, program: Instruction[]): void {
  if (program.length > MAX_PROGRAM_SIZE) throw tooLarge();
  switch (node.t) {
    case 'empty':
      return;
    case 'char':
      program.push({ op: 'char', test: node.test, literal: node.literal });
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
  if (program.length > MAX_PROGRAM_SIZE) throw tooLarge();
  const machine = machineOf(program);
  const inputLimit = Math.min(MAX_MATCH_INPUT, Math.floor(MAX_MATCH_WORK / program.length));
  return {
    source: pattern,
    inputLimit,
    // Two UTF-16 units per code point at most, so this slice holds the first inputLimit code points.
    test: (input) => run(machine, Array.from(input.slice(0, inputLimit * 2)).slice(0, inputLimit)),
  };
}

const OP_CHAR = 0;
const OP_SPLIT = 1;
const OP_JMP = 2;
const OP_ASSERT = 3;
const OP_MATCH = 4;
const ASSERT_CODES: Record<AssertKind, number> = { start: 0, end: 1, 'word-boundary': 2, 'not-word-boundary': 3 };

/** The program in flat typed arrays: the VM's inner loop then allocates nothing. */
interface Machine {
  size: number;
  op: Uint8Array;
  x: Int32Array;
  y: Int32Array;
  test: Array<CharTest | undefined>;
  /** The one character a char instruction accepts, when it is a literal (compared without a call). */
  literal: Array<string | undefined>;
}

function machineOf(program: Instruction[]): Machine {
  const size = program.length;
  const machine: Machine = {
    size,
    op: new Uint8Array(size),
    x: new Int32Array(size),
    y: new Int32Array(size),
    test: new Array(size),
    literal: new Array(size),
  };
  program.forEach((instruction, pc) => {
    switch (instruction.op) {
      case 'char':
        machine.op[pc] = OP_CHAR;
        machine.test[pc] = instruction.test;
        machine.literal[pc] = instruction.literal ?? undefined;
        break;
      case 'split':
        machine.op[pc] = OP_SPLIT;
        machine.x[pc] = instruction.x;
        machine.y[pc] = instruction.y;
        break;
      case 'jmp':
        machine.op[pc] = OP_JMP;
        machine.x[pc] = instruction.x;
        break;
      case 'assert':
        machine.op[pc] = OP_ASSERT;
        machine.x[pc] = ASSERT_CODES[instruction.kind];
        break;
      case 'match':
        machine.op[pc] = OP_MATCH;
        break;
    }
  });
  return machine;
}

/**
 * Pike VM: all threads advance in lockstep, each program counter at most once per position, so
 * the work per position is at most the program's size. Written with flat arrays and no calls in
 * the inner loop: it is the hot path of routing.
 */
function run(machine: Machine, input: string[]): boolean {
  const { size, op, x, y, test, literal } = machine;
  const seen = new Int32Array(size);
  const stack = new Int32Array(size);
  let current = new Int32Array(size);
  let next = new Int32Array(size);
  let currentCount = 0;
  let nextCount = 0;
  let generation = 0;
  let matched = false;
  const isWord = (index: number) => index >= 0 && index < input.length && WORD.test(input[index] as string);
  // A pattern that begins with ^ can only match from position 0: no new thread starts later.
  const anchored = op[0] === OP_ASSERT && x[0] === ASSERT_CODES.start;
  const assertionHolds = (kind: number, position: number) => {
    if (kind === ASSERT_CODES.start) return position === 0;
    if (kind === ASSERT_CODES.end) return position === input.length;
    const boundary = isWord(position - 1) !== isWord(position);
    return kind === ASSERT_CODES['word-boundary'] ? boundary : !boundary;
  };

  /** Adds the threads reachable from `start` without consuming input to `next`. */
  const add = (start: number, position: number) => {
    if (seen[start] === generation) return;
    seen[start] = generation;
    let depth = 0;
    stack[depth++] = start;
    while (depth > 0) {
      let pc = stack[--depth] as number;
      // Follows the first branch in place and stacks the second: fewer stack operations.
      for (;;) {
        const code = op[pc];
        let following = -1;
        if (code === OP_CHAR) {
          next[nextCount++] = pc;
        } else if (code === OP_MATCH) {
          matched = true;
        } else if (code === OP_SPLIT) {
          const second = y[pc] as number;
          if (seen[second] !== generation) {
            seen[second] = generation;
            stack[depth++] = second;
          }
          following = x[pc] as number;
        } else if (code === OP_JMP) {
          following = x[pc] as number;
        } else if (assertionHolds(x[pc] as number, position)) {
          following = pc + 1;
        }
        if (following < 0 || seen[following] === generation) break;
        seen[following] = generation;
        pc = following;
      }
    }
  };

  generation++;
  add(0, 0);
  [current, next] = [next, current];
  currentCount = nextCount;
  for (let position = 0; position < input.length && !matched; position++) {
    if (currentCount === 0 && anchored) return false;
    const ch = input[position] as string;
    generation++;
    nextCount = 0;
    for (let i = 0; i < currentCount; i++) {
      const pc = current[i] as number;
      const expected = literal[pc];
      if (expected !== undefined ? expected === ch : (test[pc] as CharTest)(ch)) add(pc + 1, position + 1);
    }
    // A search: a match may also begin at the next position.
    if (!anchored) add(0, position + 1);
    [current, next] = [next, current];
    currentCount = nextCount;
  }
  return matched;
}
