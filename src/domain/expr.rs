//! Conditions on workflow approval nodes, e.g. `refund_amount > 100`.
//!
//! A small, deterministic expression language evaluated against a JSON object
//! of variables. It is a hand-written tokenizer and recursive-descent parser
//! producing an AST, plus an interpreter: nothing is ever executed, and both
//! parsing and evaluation are bounded (source length, nesting depth, the size
//! of every string an evaluation builds, the total work of one evaluation), so
//! any input yields a value or an error, never a panic, a stack overflow or an
//! unbounded allocation.
//!
//! # Language
//!
//! - Literals: numbers (`100`, `2.5`; no exponents), strings in single or
//!   double quotes (escapes `\\`, `\'`, `\"`, `\n`, `\t`), `true`, `false`,
//!   `null`.
//! - Variables: `[A-Za-z_][A-Za-z0-9_]*` with dotted access into nested
//!   objects (`customer.tier`). A path that does not exist, or that goes
//!   through a non-object, is *missing*.
//! - Operators, lowest to highest precedence: `or`/`||`; `and`/`&&`;
//!   `not`/`!` (unary); `== != < <= > >=` (non-associative: `a < b < c` is a
//!   parse error); `+ -`; `* / %`; unary `-`; parentheses. Keywords are
//!   lowercase and case-sensitive.
//!
//! # Semantics
//!
//! - Numbers are `f64`. A numeric result is returned as a JSON integer when it
//!   is integral and within ±2^53, else as a JSON float.
//! - `and`/`or` short-circuit left to right; every operand that gets evaluated
//!   must be a boolean, else [`EvalError::TypeMismatch`]. (When the left side
//!   is not a boolean the right side is still evaluated, so the error can name
//!   both types.) `not` needs a boolean.
//! - `==`/`!=` never fail on types: numbers compare numerically (`1 == 1.0`),
//!   strings by content, booleans and `null` as expected, arrays and objects
//!   structurally; values of different types are simply not equal
//!   (`"1" == 1` is false).
//! - `< <= > >=` need two numbers or two strings (strings compare by Unicode
//!   scalar values); anything else is [`EvalError::TypeMismatch`].
//! - Arithmetic needs numbers, except `+` on two strings, which concatenates.
//!   `/` or `%` by zero is [`EvalError::DivisionByZero`]; `%` keeps the sign of
//!   the dividend. A non-finite result is [`EvalError::NumberOutOfRange`].
//! - A concatenation whose result would exceed [`MAX_STRING_BYTES`] is
//!   [`EvalError::StringTooLong`] (checked before anything is allocated); an
//!   evaluation that needs more than [`MAX_STEPS`] steps of work (nodes, bytes of
//!   strings built or compared, JSON values compared) is [`EvalError::TooMuchWork`].
//!
//! # Missing variables
//!
//! A missing variable evaluates to `null` **only** as a direct operand of
//! `==` or `!=`: with `coupon` absent, `coupon == null` is true and
//! `coupon != null` is false. Anywhere else (ordering, arithmetic,
//! `and`/`or`/`not`, unary minus, or as the whole expression) it is
//! [`EvalError::MissingVariable`] naming the dotted path.
//!
//! # Intended use
//!
//! Callers treat any evaluation error as "approval required", so a condition
//! that cannot be decided fails closed rather than silently skipping a human.

use std::borrow::Cow;
use std::collections::BTreeSet;

use serde_json::{Map, Number, Value};

/// Longest accepted source, in chars.
const MAX_LEN: usize = 4000;
/// Deepest accepted nesting of parentheses and unary operators. Keeps the
/// recursive parser and interpreter far away from the stack limit.
const MAX_DEPTH: usize = 64;
/// Largest magnitude up to which every integer is exactly representable in f64.
const MAX_SAFE_INT: f64 = 9_007_199_254_740_992.0;
/// Longest string one evaluation may build (a concatenation's result), in bytes.
pub const MAX_STRING_BYTES: usize = 64 * 1024;
/// The work one evaluation may do, in steps: one per node evaluated, one per JSON
/// value a structural `==` visits, and one per [`BYTES_PER_STEP`] bytes a string
/// concatenation builds or a string comparison reads. A parsed condition has at
/// most ~2,000 nodes, so only big strings and big objects come near it.
pub const MAX_STEPS: u64 = 50_000;
/// Bytes of string work that cost one step.
const BYTES_PER_STEP: usize = 256;

/// A parsed condition.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    root: Node,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("at position {position}: {message}")]
pub struct ParseError {
    /// 0-based char offset into the source.
    pub position: usize,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    #[error("variable `{name}` is not set")]
    MissingVariable { name: String },
    #[error("cannot apply `{op}` to {left} and {right}")]
    TypeMismatch {
        op: String,
        left: String,
        right: String,
    },
    /// A unary operator (`not`, `-`) applied to the wrong type.
    #[error("cannot apply `{op}` to {operand}")]
    UnaryTypeMismatch { op: String, operand: String },
    #[error("division by zero")]
    DivisionByZero,
    /// A result (or a variable's number) that f64 cannot hold, e.g. a product
    /// beyond ~1.8e308.
    #[error("{what} is out of the supported number range")]
    NumberOutOfRange { what: String },
    #[error("the condition must be true or false, but it is {got}")]
    NotABoolean { got: String },
    /// A concatenation would build a string over [`MAX_STRING_BYTES`].
    #[error("a string in the condition would be longer than {max} bytes")]
    StringTooLong { max: usize },
    /// The evaluation needs more than [`MAX_STEPS`] steps of work.
    #[error("the condition needs more than {max} steps of work to evaluate")]
    TooMuchWork { max: u64 },
}

impl Expr {
    pub fn parse(src: &str) -> Result<Expr, ParseError> {
        // Checked before collecting so huge inputs cost nothing.
        if src.chars().nth(MAX_LEN).is_some() {
            return Err(ParseError {
                position: MAX_LEN,
                message: format!("expression is too long (more than {MAX_LEN} characters)"),
            });
        }
        if src.trim().is_empty() {
            return Err(ParseError {
                position: 0,
                message: "expected an expression, found end of input".into(),
            });
        }
        let chars: Vec<char> = src.chars().collect();
        let mut parser = Parser {
            tokens: lex(&chars),
            chars: &chars,
            idx: 0,
            depth: 0,
        };
        let root = parser.parse_or()?;
        if !matches!(parser.peek().tok, Tok::Eof) {
            return Err(parser.unexpected("an operator or end of input"));
        }
        Ok(Expr { root })
    }

    pub fn eval(&self, vars: &Map<String, Value>) -> Result<Value, EvalError> {
        eval_node(&self.root, vars, &mut Budget::new())?.into_json()
    }

    /// The condition result: must be a boolean, else [`EvalError::NotABoolean`].
    pub fn eval_bool(&self, vars: &Map<String, Value>) -> Result<bool, EvalError> {
        match eval_node(&self.root, vars, &mut Budget::new())? {
            Val::Bool(b) => Ok(b),
            other => Err(EvalError::NotABoolean {
                got: other.type_name().into(),
            }),
        }
    }

    /// Top-level variable names the expression reads (for docs/validation),
    /// sorted, deduplicated. `customer.tier` contributes `customer`.
    pub fn variables(&self) -> Vec<String> {
        let mut names = BTreeSet::new();
        self.root.collect_vars(&mut names);
        names.into_iter().collect()
    }
}

// ---------------------------------------------------------------------------
// AST

#[derive(Clone, Debug, PartialEq)]
enum Lit {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LogicOp {
    And,
    Or,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

/// Chains of same-precedence binary operators are stored flat (n-ary) rather
/// than as left-deep trees, so a 4,000-char `1+1+1…` does not become a
/// 2,000-deep tree; tree depth is bounded by the parenthesis/unary limit.
#[derive(Clone, Debug, PartialEq)]
enum Node {
    Lit(Lit),
    /// Dotted path as written, e.g. `customer.tier`.
    Var(String),
    Not(Box<Node>),
    Neg(Box<Node>),
    /// At least two operands.
    Logic {
        op: LogicOp,
        operands: Vec<Node>,
    },
    Cmp {
        op: CmpOp,
        left: Box<Node>,
        right: Box<Node>,
    },
    /// Left fold: `first op0 rest0 op1 rest1 …`.
    Arith {
        first: Box<Node>,
        rest: Vec<(ArithOp, Node)>,
    },
}

impl Node {
    fn collect_vars(&self, out: &mut BTreeSet<String>) {
        match self {
            Node::Lit(_) => {}
            Node::Var(path) => {
                let top = path.split('.').next().unwrap_or(path);
                out.insert(top.to_string());
            }
            Node::Not(inner) | Node::Neg(inner) => inner.collect_vars(out),
            Node::Logic { operands, .. } => operands.iter().for_each(|n| n.collect_vars(out)),
            Node::Cmp { left, right, .. } => {
                left.collect_vars(out);
                right.collect_vars(out);
            }
            Node::Arith { first, rest } => {
                first.collect_vars(out);
                rest.iter().for_each(|(_, n)| n.collect_vars(out));
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Tokenizer

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(f64),
    Str(String),
    Ident(String),
    True,
    False,
    Null,
    And,
    Or,
    Not,
    Cmp(CmpOp),
    Arith(ArithOp),
    LParen,
    RParen,
    Eof,
    /// A lexing error. It ends the token stream, so the parser reports it only
    /// if nothing earlier in the source was already wrong.
    Error(ParseError),
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    /// Char offset of the first char.
    pos: usize,
    /// Length in chars, for quoting the token in messages.
    len: usize,
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn err(position: usize, message: impl Into<String>) -> ParseError {
    ParseError {
        position,
        message: message.into(),
    }
}

/// Tokenizes the whole source. Always ends with `Eof` or `Error`.
fn lex(chars: &[char]) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut i = 0;
    loop {
        while chars.get(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
        let start = i;
        let tok = match lex_one(chars, &mut i) {
            Ok(tok) => tok,
            Err(e) => {
                tokens.push(Token {
                    tok: Tok::Error(e),
                    pos: start,
                    len: 0,
                });
                return tokens;
            }
        };
        let done = tok == Tok::Eof;
        tokens.push(Token {
            tok,
            pos: start,
            len: i - start,
        });
        if done {
            return tokens;
        }
    }
}

/// Reads one token starting at `*i` (not whitespace) and advances `*i` past it.
fn lex_one(chars: &[char], i: &mut usize) -> Result<Tok, ParseError> {
    let start = *i;
    let Some(&c) = chars.get(start) else {
        return Ok(Tok::Eof);
    };
    let next = chars.get(start + 1).copied();
    // Two-char operators first, so `<=` is not read as `<` then `=`.
    let two = match (c, next) {
        ('=', Some('=')) => Some(Tok::Cmp(CmpOp::Eq)),
        ('!', Some('=')) => Some(Tok::Cmp(CmpOp::Ne)),
        ('<', Some('=')) => Some(Tok::Cmp(CmpOp::Le)),
        ('>', Some('=')) => Some(Tok::Cmp(CmpOp::Ge)),
        ('&', Some('&')) => Some(Tok::And),
        ('|', Some('|')) => Some(Tok::Or),
        _ => None,
    };
    if let Some(tok) = two {
        *i += 2;
        return Ok(tok);
    }
    let one = match c {
        '<' => Some(Tok::Cmp(CmpOp::Lt)),
        '>' => Some(Tok::Cmp(CmpOp::Gt)),
        '!' => Some(Tok::Not),
        '+' => Some(Tok::Arith(ArithOp::Add)),
        '-' => Some(Tok::Arith(ArithOp::Sub)),
        '*' => Some(Tok::Arith(ArithOp::Mul)),
        '/' => Some(Tok::Arith(ArithOp::Div)),
        '%' => Some(Tok::Arith(ArithOp::Rem)),
        '(' => Some(Tok::LParen),
        ')' => Some(Tok::RParen),
        _ => None,
    };
    if let Some(tok) = one {
        *i += 1;
        return Ok(tok);
    }
    match c {
        '0'..='9' => lex_number(chars, i),
        quote @ ('"' | '\'') => lex_string(chars, i, quote),
        c if is_ident_start(c) => lex_ident(chars, i),
        // Common slips from other languages get a pointed hint.
        '=' => Err(err(start, "unexpected character '='; use '==' to compare")),
        '&' => Err(err(start, "unexpected character '&'; use '&&' or 'and'")),
        '|' => Err(err(start, "unexpected character '|'; use '||' or 'or'")),
        c => Err(err(
            start,
            format!("unexpected character '{}'", c.escape_debug()),
        )),
    }
}

fn lex_number(chars: &[char], i: &mut usize) -> Result<Tok, ParseError> {
    let start = *i;
    let digits = |i: &mut usize| {
        while chars.get(*i).is_some_and(char::is_ascii_digit) {
            *i += 1;
        }
    };
    digits(i);
    if chars.get(*i) == Some(&'.') {
        *i += 1;
        if !chars.get(*i).is_some_and(char::is_ascii_digit) {
            return Err(err(*i, "expected a digit after the decimal point"));
        }
        digits(i);
    }
    // `100abc` or `1e5` (exponents are not supported) would otherwise lex as
    // two tokens and give a vaguer error.
    if let Some(&c) = chars.get(*i).filter(|c| is_ident_char(**c) || **c == '.') {
        return Err(err(
            *i,
            format!("unexpected character '{c}' after a number"),
        ));
    }
    let text: String = chars[start..*i].iter().collect();
    match text.parse::<f64>() {
        Ok(n) if n.is_finite() => Ok(Tok::Num(n)),
        _ => Err(err(start, "number is too large")),
    }
}

fn lex_string(chars: &[char], i: &mut usize, quote: char) -> Result<Tok, ParseError> {
    let start = *i;
    *i += 1;
    let mut out = String::new();
    loop {
        let Some(&c) = chars.get(*i) else {
            return Err(err(start, "unterminated string"));
        };
        *i += 1;
        if c == quote {
            return Ok(Tok::Str(out));
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(&esc) = chars.get(*i) else {
            return Err(err(start, "unterminated string"));
        };
        *i += 1;
        out.push(match esc {
            '\\' => '\\',
            '\'' => '\'',
            '"' => '"',
            'n' => '\n',
            't' => '\t',
            other => {
                return Err(err(
                    *i - 2,
                    format!(
                        "unknown escape '\\{}'; expected one of \\\\ \\' \\\" \\n \\t",
                        other.escape_debug()
                    ),
                ))
            }
        });
    }
}

fn lex_ident(chars: &[char], i: &mut usize) -> Result<Tok, ParseError> {
    let start = *i;
    let segment = |i: &mut usize| {
        while chars.get(*i).is_some_and(|c| is_ident_char(*c)) {
            *i += 1;
        }
    };
    segment(i);
    let first: String = chars[start..*i].iter().collect();
    let keyword = match first.as_str() {
        "true" => Some(Tok::True),
        "false" => Some(Tok::False),
        "null" => Some(Tok::Null),
        "and" => Some(Tok::And),
        "or" => Some(Tok::Or),
        "not" => Some(Tok::Not),
        _ => None,
    };
    // A keyword never starts a path; a following '.' is then reported as an
    // unexpected character by the next token.
    if let Some(tok) = keyword {
        return Ok(tok);
    }
    while chars.get(*i) == Some(&'.') {
        *i += 1;
        if !chars.get(*i).is_some_and(|c| is_ident_start(*c)) {
            return Err(err(*i, "expected a field name after '.'"));
        }
        segment(i);
    }
    Ok(Tok::Ident(chars[start..*i].iter().collect()))
}

// ---------------------------------------------------------------------------
// Parser

struct Parser<'s> {
    tokens: Vec<Token>,
    chars: &'s [char],
    idx: usize,
    /// Current nesting of parentheses and unary operators.
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> &Token {
        // `lex` always ends with Eof/Error and we never advance past it, so
        // the fallback is only defensive.
        self.tokens
            .get(self.idx)
            .or_else(|| self.tokens.last())
            .unwrap_or(&EOF_TOKEN)
    }

    fn bump(&mut self) {
        if self.idx + 1 < self.tokens.len() {
            self.idx += 1;
        }
    }

    /// Error for the current token, which is not what the grammar needs here.
    /// A pending lexing error wins: it is the real problem at this spot.
    fn unexpected(&self, expected: &str) -> ParseError {
        let token = self.peek();
        if let Tok::Error(e) = &token.tok {
            return e.clone();
        }
        err(
            token.pos,
            format!("expected {expected}, found {}", self.describe(token)),
        )
    }

    fn describe(&self, token: &Token) -> String {
        let text: String = self.chars.iter().skip(token.pos).take(token.len).collect();
        // Keep messages short even for a long string literal.
        let text = if token.len > 24 {
            let head: String = text.chars().take(20).collect();
            format!("{head}…")
        } else {
            text
        };
        match &token.tok {
            Tok::Eof | Tok::Error(_) => "end of input".into(),
            Tok::Num(_) => format!("number {text}"),
            Tok::Str(_) => format!("string {text}"),
            Tok::Ident(_) => format!("variable '{text}'"),
            _ => format!("'{text}'"),
        }
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(err(
                self.peek().pos,
                format!("expression is nested too deeply (more than {MAX_DEPTH} levels)"),
            ));
        }
        Ok(())
    }

    fn parse_or(&mut self) -> Result<Node, ParseError> {
        let first = self.parse_and()?;
        self.parse_logic_tail(LogicOp::Or, Tok::Or, first, Self::parse_and)
    }

    fn parse_and(&mut self) -> Result<Node, ParseError> {
        let first = self.parse_not()?;
        self.parse_logic_tail(LogicOp::And, Tok::And, first, Self::parse_not)
    }

    /// Collects `first tok operand tok operand …` into one flat n-ary node.
    fn parse_logic_tail(
        &mut self,
        op: LogicOp,
        tok: Tok,
        first: Node,
        operand: fn(&mut Self) -> Result<Node, ParseError>,
    ) -> Result<Node, ParseError> {
        if self.peek().tok != tok {
            return Ok(first);
        }
        let mut operands = vec![first];
        while self.peek().tok == tok {
            self.bump();
            operands.push(operand(self)?);
        }
        Ok(Node::Logic { op, operands })
    }

    fn parse_not(&mut self) -> Result<Node, ParseError> {
        if self.peek().tok != Tok::Not {
            return self.parse_cmp();
        }
        self.enter()?;
        self.bump();
        let inner = self.parse_not()?;
        self.depth -= 1;
        Ok(Node::Not(Box::new(inner)))
    }

    fn parse_cmp(&mut self) -> Result<Node, ParseError> {
        let left = self.parse_arith(false)?;
        let Tok::Cmp(op) = self.peek().tok else {
            return Ok(left);
        };
        self.bump();
        let right = self.parse_arith(false)?;
        if let Tok::Cmp(_) = self.peek().tok {
            return Err(err(
                self.peek().pos,
                "expected 'and' or 'or' before another comparison (comparisons cannot be chained; write a < b and b < c)",
            ));
        }
        Ok(Node::Cmp {
            op,
            left: Box::new(left),
            right: Box::new(right),
        })
    }

    /// Additive level (`mul == false`) over multiplicative level over unary.
    fn parse_arith(&mut self, mul: bool) -> Result<Node, ParseError> {
        let operand = |p: &mut Self| {
            if mul {
                p.parse_neg()
            } else {
                p.parse_arith(true)
            }
        };
        let first = operand(self)?;
        let mut rest = Vec::new();
        while let Tok::Arith(op) = self.peek().tok {
            let multiplicative = matches!(op, ArithOp::Mul | ArithOp::Div | ArithOp::Rem);
            if multiplicative != mul {
                break;
            }
            self.bump();
            rest.push((op, operand(self)?));
        }
        if rest.is_empty() {
            return Ok(first);
        }
        Ok(Node::Arith {
            first: Box::new(first),
            rest,
        })
    }

    fn parse_neg(&mut self) -> Result<Node, ParseError> {
        if self.peek().tok != Tok::Arith(ArithOp::Sub) {
            return self.parse_primary();
        }
        self.enter()?;
        self.bump();
        let inner = self.parse_neg()?;
        self.depth -= 1;
        Ok(Node::Neg(Box::new(inner)))
    }

    fn parse_primary(&mut self) -> Result<Node, ParseError> {
        let node = match self.peek().tok.clone() {
            Tok::Num(n) => Node::Lit(Lit::Num(n)),
            Tok::Str(s) => Node::Lit(Lit::Str(s)),
            Tok::True => Node::Lit(Lit::Bool(true)),
            Tok::False => Node::Lit(Lit::Bool(false)),
            Tok::Null => Node::Lit(Lit::Null),
            Tok::Ident(path) => Node::Var(path),
            Tok::LParen => {
                let open = self.peek().pos;
                self.enter()?;
                self.bump();
                let inner = self.parse_or()?;
                if self.peek().tok != Tok::RParen {
                    return Err(
                        self.unexpected(&format!("')' to close the '(' at position {open}"))
                    );
                }
                self.depth -= 1;
                inner
            }
            _ => return Err(self.unexpected("an operand")),
        };
        self.bump();
        Ok(node)
    }
}

static EOF_TOKEN: Token = Token {
    tok: Tok::Eof,
    pos: 0,
    len: 0,
};

// ---------------------------------------------------------------------------
// Interpreter

/// A runtime value; borrows from the AST and the variables where it can.
#[derive(Clone, Debug)]
enum Val<'a> {
    Null,
    Bool(bool),
    /// Always finite.
    Num(f64),
    Str(Cow<'a, str>),
    /// An array or object taken from the variables.
    Json(&'a Value),
}

impl Val<'_> {
    fn type_name(&self) -> &'static str {
        match self {
            Val::Null => "null",
            Val::Bool(_) => "boolean",
            Val::Num(_) => "number",
            Val::Str(_) => "string",
            Val::Json(Value::Array(_)) => "array",
            Val::Json(_) => "object",
        }
    }

    fn into_json(self) -> Result<Value, EvalError> {
        Ok(match self {
            Val::Null => Value::Null,
            Val::Bool(b) => Value::Bool(b),
            Val::Num(n) => num_to_json(n)?,
            Val::Str(s) => Value::String(s.into_owned()),
            Val::Json(v) => v.clone(),
        })
    }
}

fn num_to_json(n: f64) -> Result<Value, EvalError> {
    if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INT {
        // Exact: integral and within ±2^53.
        return Ok(Value::from(n as i64));
    }
    Number::from_f64(n)
        .map(Value::Number)
        .ok_or_else(|| EvalError::NumberOutOfRange {
            what: "the result".into(),
        })
}

fn lookup<'a>(vars: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut segments = path.split('.');
    let mut current = vars.get(segments.next()?)?;
    for segment in segments {
        current = current.as_object()?.get(segment)?;
    }
    Some(current)
}

fn from_json<'a>(value: &'a Value, path: &str) -> Result<Val<'a>, EvalError> {
    Ok(match value {
        Value::Null => Val::Null,
        Value::Bool(b) => Val::Bool(*b),
        // Only fails with serde_json's arbitrary-precision numbers.
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.is_finite() => Val::Num(f),
            _ => {
                return Err(EvalError::NumberOutOfRange {
                    what: format!("variable `{path}`"),
                })
            }
        },
        Value::String(s) => Val::Str(Cow::Borrowed(s)),
        Value::Array(_) | Value::Object(_) => Val::Json(value),
    })
}

/// What is left of one evaluation's work ([`MAX_STEPS`]).
struct Budget {
    left: u64,
}

impl Budget {
    fn new() -> Self {
        Budget { left: MAX_STEPS }
    }

    fn spend(&mut self, steps: u64) -> Result<(), EvalError> {
        self.left = self
            .left
            .checked_sub(steps)
            .ok_or(EvalError::TooMuchWork { max: MAX_STEPS })?;
        Ok(())
    }

    /// Charges for touching `bytes` bytes of string.
    fn spend_bytes(&mut self, bytes: usize) -> Result<(), EvalError> {
        self.spend((bytes / BYTES_PER_STEP) as u64)
    }
}

fn eval_node<'a>(
    node: &'a Node,
    vars: &'a Map<String, Value>,
    b: &mut Budget,
) -> Result<Val<'a>, EvalError> {
    b.spend(1)?;
    match node {
        Node::Lit(lit) => Ok(match lit {
            Lit::Null => Val::Null,
            Lit::Bool(b) => Val::Bool(*b),
            Lit::Num(n) => Val::Num(*n),
            Lit::Str(s) => Val::Str(Cow::Borrowed(s)),
        }),
        Node::Var(path) => match lookup(vars, path) {
            Some(value) => from_json(value, path),
            None => Err(EvalError::MissingVariable { name: path.clone() }),
        },
        Node::Not(inner) => match eval_node(inner, vars, b)? {
            Val::Bool(b) => Ok(Val::Bool(!b)),
            other => Err(unary_mismatch("not", &other)),
        },
        Node::Neg(inner) => match eval_node(inner, vars, b)? {
            Val::Num(n) => Ok(Val::Num(-n)),
            other => Err(unary_mismatch("-", &other)),
        },
        Node::Logic { op, operands } => eval_logic(*op, operands, vars, b),
        Node::Cmp { op, left, right } => eval_cmp(*op, left, right, vars, b),
        Node::Arith { first, rest } => {
            let mut acc = eval_node(first, vars, b)?;
            for (op, operand) in rest {
                let right = eval_node(operand, vars, b)?;
                acc = arith(*op, acc, right, b)?;
            }
            Ok(acc)
        }
    }
}

fn unary_mismatch(op: &str, operand: &Val) -> EvalError {
    EvalError::UnaryTypeMismatch {
        op: op.into(),
        operand: operand.type_name().into(),
    }
}

fn eval_logic<'a>(
    op: LogicOp,
    operands: &'a [Node],
    vars: &'a Map<String, Value>,
    b: &mut Budget,
) -> Result<Val<'a>, EvalError> {
    // `false and …` / `true or …` decide the chain without looking further.
    let (decisive, name) = match op {
        LogicOp::And => (false, "and"),
        LogicOp::Or => (true, "or"),
    };
    let Some((first, rest)) = operands.split_first() else {
        return Ok(Val::Bool(!decisive));
    };
    let mut acc = eval_node(first, vars, b)?;
    for operand in rest {
        if let Val::Bool(v) = acc {
            if v == decisive {
                return Ok(acc);
            }
        }
        let right = eval_node(operand, vars, b)?;
        match (&acc, &right) {
            (Val::Bool(_), Val::Bool(_)) => acc = right,
            _ => {
                return Err(EvalError::TypeMismatch {
                    op: name.into(),
                    left: acc.type_name().into(),
                    right: right.type_name().into(),
                })
            }
        }
    }
    match acc {
        Val::Bool(_) => Ok(acc),
        // Unreachable for parsed chains (two or more operands).
        other => Err(unary_mismatch(name, &other)),
    }
}

fn eval_cmp<'a>(
    op: CmpOp,
    left: &'a Node,
    right: &'a Node,
    vars: &'a Map<String, Value>,
    b: &mut Budget,
) -> Result<Val<'a>, EvalError> {
    use std::cmp::Ordering;

    if matches!(op, CmpOp::Eq | CmpOp::Ne) {
        let l = eval_eq_operand(left, vars, b)?;
        let r = eval_eq_operand(right, vars, b)?;
        let equal = vals_equal(&l, &r, b)?;
        return Ok(Val::Bool(equal == (op == CmpOp::Eq)));
    }
    let l = eval_node(left, vars, b)?;
    let r = eval_node(right, vars, b)?;
    let ordering = match (&l, &r) {
        // Finite numbers always compare.
        (Val::Num(x), Val::Num(y)) => x.partial_cmp(y),
        (Val::Str(x), Val::Str(y)) => {
            b.spend_bytes(x.len().min(y.len()))?;
            Some(x.cmp(y))
        }
        _ => None,
    };
    let Some(ordering) = ordering else {
        let symbol = match op {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            _ => ">=",
        };
        return Err(EvalError::TypeMismatch {
            op: symbol.into(),
            left: l.type_name().into(),
            right: r.type_name().into(),
        });
    };
    Ok(Val::Bool(match op {
        CmpOp::Lt => ordering == Ordering::Less,
        CmpOp::Le => ordering != Ordering::Greater,
        CmpOp::Gt => ordering == Ordering::Greater,
        _ => ordering != Ordering::Less,
    }))
}

/// The one place a missing variable is allowed: it reads as `null`.
fn eval_eq_operand<'a>(
    node: &'a Node,
    vars: &'a Map<String, Value>,
    b: &mut Budget,
) -> Result<Val<'a>, EvalError> {
    match node {
        Node::Var(path) => match lookup(vars, path) {
            Some(value) => {
                b.spend(1)?;
                from_json(value, path)
            }
            None => Ok(Val::Null),
        },
        _ => eval_node(node, vars, b),
    }
}

fn vals_equal(l: &Val, r: &Val, b: &mut Budget) -> Result<bool, EvalError> {
    Ok(match (l, r) {
        (Val::Null, Val::Null) => true,
        (Val::Bool(x), Val::Bool(y)) => x == y,
        (Val::Num(x), Val::Num(y)) => x == y,
        (Val::Str(x), Val::Str(y)) => {
            b.spend_bytes(x.len().min(y.len()))?;
            x == y
        }
        (Val::Json(x), Val::Json(y)) => json_equal(x, y, b)?,
        _ => false,
    })
}

/// Structural equality with the same numeric rule as scalars (`[1] == [1.0]`);
/// every value visited costs a step.
fn json_equal(l: &Value, r: &Value, b: &mut Budget) -> Result<bool, EvalError> {
    b.spend(1)?;
    Ok(match (l, r) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => x == y,
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Ok(false);
            }
            for (x, y) in x.iter().zip(y) {
                if !json_equal(x, y, b)? {
                    return Ok(false);
                }
            }
            true
        }
        (Value::Object(x), Value::Object(y)) => {
            if x.len() != y.len() {
                return Ok(false);
            }
            for (k, v) in x {
                match y.get(k) {
                    Some(w) if json_equal(v, w, b)? => {}
                    _ => return Ok(false),
                }
            }
            true
        }
        (Value::String(x), Value::String(y)) => {
            b.spend_bytes(x.len().min(y.len()))?;
            x == y
        }
        _ => l == r,
    })
}

fn arith<'a>(
    op: ArithOp,
    left: Val<'a>,
    right: Val<'a>,
    b: &mut Budget,
) -> Result<Val<'a>, EvalError> {
    let symbol = match op {
        ArithOp::Add => "+",
        ArithOp::Sub => "-",
        ArithOp::Mul => "*",
        ArithOp::Div => "/",
        ArithOp::Rem => "%",
    };
    match (left, right) {
        (Val::Str(x), Val::Str(y)) if op == ArithOp::Add => {
            // Checked before anything is allocated: every intermediate string is bounded.
            let len = x.len().saturating_add(y.len());
            if len > MAX_STRING_BYTES {
                return Err(EvalError::StringTooLong {
                    max: MAX_STRING_BYTES,
                });
            }
            b.spend_bytes(len)?;
            let mut out = String::with_capacity(len);
            out.push_str(&x);
            out.push_str(&y);
            Ok(Val::Str(Cow::Owned(out)))
        }
        (Val::Num(x), Val::Num(y)) => {
            let n = match op {
                ArithOp::Add => x + y,
                ArithOp::Sub => x - y,
                ArithOp::Mul => x * y,
                ArithOp::Div | ArithOp::Rem if y == 0.0 => return Err(EvalError::DivisionByZero),
                ArithOp::Div => x / y,
                ArithOp::Rem => x % y,
            };
            if !n.is_finite() {
                return Err(EvalError::NumberOutOfRange {
                    what: format!("the result of `{symbol}`"),
                });
            }
            Ok(Val::Num(n))
        }
        (left, right) => Err(EvalError::TypeMismatch {
            op: symbol.into(),
            left: left.type_name().into(),
            right: right.type_name().into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn vars(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    fn eval(src: &str, v: Value) -> Result<Value, EvalError> {
        Expr::parse(src).expect(src).eval(&vars(v))
    }

    fn eval_bool(src: &str, v: Value) -> Result<bool, EvalError> {
        Expr::parse(src).expect(src).eval_bool(&vars(v))
    }

    fn parse_err(src: &str) -> ParseError {
        match Expr::parse(src) {
            Ok(e) => panic!("{src:?} parsed as {e:?}"),
            Err(e) => e,
        }
    }

    fn missing(name: &str) -> EvalError {
        EvalError::MissingVariable { name: name.into() }
    }

    #[test]
    fn precedence() {
        assert_eq!(eval_bool("1 + 2 * 3 == 7", json!({})), Ok(true));
        assert_eq!(eval("(1 + 2) * 3", json!({})), Ok(json!(9)));
        assert_eq!(eval("10 - 4 - 3", json!({})), Ok(json!(3)));
        assert_eq!(eval("2 * -3 + 1", json!({})), Ok(json!(-5)));
        assert_eq!(eval("7 % 4 * 2", json!({})), Ok(json!(6)));
        assert_eq!(
            Expr::parse("not a and b"),
            Expr::parse("(not a) and b"),
            "`not` binds tighter than `and`"
        );
        assert_ne!(Expr::parse("not a and b"), Expr::parse("not (a and b)"));
        let both_false = json!({"a": false, "b": false});
        assert_eq!(eval_bool("not a and b", both_false.clone()), Ok(false));
        assert_eq!(eval_bool("not (a and b)", both_false), Ok(true));
        // `and` binds tighter than `or`; `!` and `&&`/`||` are synonyms.
        assert_eq!(eval_bool("true or false and false", json!({})), Ok(true));
        assert_eq!(Expr::parse("!a && b || c"), Expr::parse("not a and b or c"));
        // `not` is below comparison: `not 1 == 2` is `not (1 == 2)`.
        assert_eq!(eval_bool("not 1 == 2", json!({})), Ok(true));
    }

    #[test]
    fn seed_example() {
        let e = Expr::parse("refund_amount > 100").unwrap();
        assert_eq!(e.eval_bool(&vars(json!({"refund_amount": 150}))), Ok(true));
        assert_eq!(e.eval_bool(&vars(json!({"refund_amount": 50}))), Ok(false));
        assert_eq!(
            e.eval_bool(&vars(json!({"refund_amount": 100.5}))),
            Ok(true)
        );
        assert_eq!(e.eval_bool(&vars(json!({}))), Err(missing("refund_amount")));
        assert_eq!(e.variables(), vec!["refund_amount"]);
    }

    #[test]
    fn nested_paths() {
        let gold = json!({"customer": {"tier": "gold", "address": {"country": "DE"}}});
        assert_eq!(
            eval_bool("customer.tier == \"gold\"", gold.clone()),
            Ok(true)
        );
        assert_eq!(
            eval_bool("customer.address.country == 'DE'", gold.clone()),
            Ok(true)
        );
        assert_eq!(eval_bool("customer.tier == 'silver'", gold), Ok(false));
        // Through a non-object, or absent: missing.
        let flat = json!({"customer": "bob"});
        assert_eq!(eval_bool("customer.tier == null", flat.clone()), Ok(true));
        assert_eq!(
            eval_bool("customer.tier > 'a'", flat),
            Err(missing("customer.tier"))
        );
        assert_eq!(
            eval("customer.tier", json!({})),
            Err(missing("customer.tier"))
        );
        assert_eq!(
            eval("customer", json!({"customer": {"a": 1}})),
            Ok(json!({"a": 1}))
        );
    }

    #[test]
    fn string_ordering_and_concat() {
        assert_eq!(eval_bool("'apple' < 'banana'", json!({})), Ok(true));
        assert_eq!(eval_bool("'b' <= 'abc'", json!({})), Ok(false));
        assert_eq!(eval_bool("name >= \"m\"", json!({"name": "zoe"})), Ok(true));
        assert_eq!(eval_bool("'Z' < 'a'", json!({})), Ok(true), "by code point");
        assert_eq!(
            eval("first + ' ' + last", json!({"first": "Ada", "last": "L"})),
            Ok(json!("Ada L"))
        );
        assert_eq!(
            eval("'it\\'s' + \"\\\"\\\\\\n\\t\"", json!({})),
            Ok(json!("it's\"\\\n\t"))
        );
    }

    #[test]
    fn equality_across_types() {
        for (src, want) in [
            ("\"1\" == 1", false),
            ("\"1\" != 1", true),
            ("1 == 1.0", true),
            ("0.1 + 0.2 == 0.3", false),
            ("null == false", false),
            ("null == null", true),
            ("true == true", true),
            ("'a' == 'a'", true),
            ("list == [1, 2]", true),
            ("list == obj", false),
            ("obj == obj", true),
        ] {
            let src = src.replace("[1, 2]", "other");
            let v = json!({"list": [1, 2.0], "other": [1.0, 2], "obj": {"k": null}});
            assert_eq!(eval_bool(&src, v), Ok(want), "{src}");
        }
    }

    #[test]
    fn type_mismatches() {
        assert_eq!(
            eval_bool("\"a\" < 1", json!({})),
            Err(EvalError::TypeMismatch {
                op: "<".into(),
                left: "string".into(),
                right: "number".into()
            })
        );
        assert_eq!(
            eval("x * 2", json!({"x": "3"})),
            Err(EvalError::TypeMismatch {
                op: "*".into(),
                left: "string".into(),
                right: "number".into()
            })
        );
        assert_eq!(
            eval("1 and true", json!({})),
            Err(EvalError::TypeMismatch {
                op: "and".into(),
                left: "number".into(),
                right: "boolean".into()
            })
        );
        assert_eq!(
            eval("false or 'yes'", json!({})),
            Err(EvalError::TypeMismatch {
                op: "or".into(),
                left: "boolean".into(),
                right: "string".into()
            })
        );
        assert_eq!(
            eval("not x", json!({"x": null})),
            Err(EvalError::UnaryTypeMismatch {
                op: "not".into(),
                operand: "null".into()
            })
        );
        assert_eq!(
            eval("-x", json!({"x": []})),
            Err(EvalError::UnaryTypeMismatch {
                op: "-".into(),
                operand: "array".into()
            })
        );
        assert!(matches!(
            eval("null < 1", json!({})),
            Err(EvalError::TypeMismatch { .. })
        ));
    }

    #[test]
    fn short_circuit() {
        assert_eq!(eval_bool("false and missing_var > 1", json!({})), Ok(false));
        assert_eq!(eval_bool("true or x", json!({})), Ok(true));
        assert_eq!(eval_bool("false or true or x", json!({})), Ok(true));
        assert_eq!(
            eval_bool("true and false and 1 / 0 > 1", json!({})),
            Ok(false)
        );
        assert_eq!(eval_bool("true and x", json!({})), Err(missing("x")));
        assert_eq!(eval_bool("false or x", json!({})), Err(missing("x")));
        assert_eq!(eval_bool("not x", json!({})), Err(missing("x")));
    }

    #[test]
    fn arithmetic() {
        assert_eq!(eval("1 / 0", json!({})), Err(EvalError::DivisionByZero));
        assert_eq!(eval("5 % 0", json!({})), Err(EvalError::DivisionByZero));
        assert_eq!(
            eval("x / (y - y)", json!({"x": 1, "y": 2.5})),
            Err(EvalError::DivisionByZero)
        );
        assert_eq!(eval("-7 % 3", json!({})), Ok(json!(-1)));
        assert_eq!(eval("7 / 2", json!({})), Ok(json!(3.5)));
        // Integral results come back as JSON integers.
        let six = eval("2 * 3.0", json!({})).unwrap();
        assert!(six.is_i64(), "{six}");
        assert!(eval("2 * 3.25", json!({})).unwrap().is_f64());
        assert!(eval("x * x", json!({"x": 1e7})).unwrap().is_i64());
        // Beyond 2^53 stays a float.
        assert!(eval("x * x", json!({"x": 1e9})).unwrap().is_f64());
        assert_eq!(
            eval("x * x", json!({"x": 1e200})),
            Err(EvalError::NumberOutOfRange {
                what: "the result of `*`".into()
            })
        );
        assert_eq!(
            eval("'a' - 'b'", json!({})).unwrap_err().to_string(),
            "cannot apply `-` to string and string"
        );
    }

    #[test]
    fn missing_variables_only_null_in_equality() {
        assert_eq!(eval_bool("x == null", json!({})), Ok(true));
        assert_eq!(eval_bool("null == x", json!({})), Ok(true));
        assert_eq!(eval_bool("(x) != null", json!({})), Ok(false));
        assert_eq!(eval_bool("coupon == 'SAVE10'", json!({})), Ok(false));
        assert_eq!(eval_bool("x == y", json!({})), Ok(true));
        assert_eq!(eval_bool("x == null", json!({"x": 0})), Ok(false));
        assert_eq!(eval_bool("x + 1 == null", json!({})), Err(missing("x")));
        assert_eq!(eval_bool("-x == null", json!({})), Err(missing("x")));
        assert_eq!(eval_bool("x < 1", json!({})), Err(missing("x")));
        assert_eq!(eval("x", json!({})), Err(missing("x")));
    }

    #[test]
    fn eval_bool_requires_boolean() {
        assert_eq!(
            eval_bool("1 + 1", json!({})),
            Err(EvalError::NotABoolean {
                got: "number".into()
            })
        );
        assert_eq!(
            eval_bool("flag", json!({"flag": "yes"})),
            Err(EvalError::NotABoolean {
                got: "string".into()
            })
        );
        assert_eq!(eval_bool("flag", json!({"flag": true})), Ok(true));
    }

    #[test]
    fn parse_error_positions() {
        for (src, position, message) in [
            (
                "amount > 100 +",
                14,
                "expected an operand, found end of input",
            ),
            ("abc$ > 1", 3, "unexpected character '$'"),
            ("x == 1 + \"abc", 9, "unterminated string"),
            ("'ab\\", 0, "unterminated string"),
            ("\"a\\q\"", 2, "unknown escape '\\q'"),
            (
                "(a > 1",
                6,
                "expected ')' to close the '(' at position 0, found end of input",
            ),
            (
                "a b",
                2,
                "expected an operator or end of input, found variable 'b'",
            ),
            (
                "a > 1)",
                5,
                "expected an operator or end of input, found ')'",
            ),
            ("1 + * 2", 4, "expected an operand, found '*'"),
            ("a == not b", 5, "expected an operand, found 'not'"),
            ("a < b < c", 6, "comparisons cannot be chained"),
            ("1 == 1 != true", 7, "comparisons cannot be chained"),
            ("a = 1", 2, "use '=='"),
            ("a & b", 2, "use '&&' or 'and'"),
            ("1.", 2, "expected a digit after the decimal point"),
            ("1e5", 1, "unexpected character 'e' after a number"),
            ("customer. tier", 9, "expected a field name after '.'"),
            ("true.x", 4, "unexpected character '.'"),
            ("x AND y", 2, "found variable 'AND'"),
            ("", 0, "expected an expression, found end of input"),
            ("  \n ", 0, "expected an expression, found end of input"),
            ("()", 1, "expected an operand, found ')'"),
            // Positions count chars, not bytes.
            ("\"é\" == $", 7, "unexpected character '$'"),
            // The earliest problem is reported, even if a later one is lexical.
            ("a b $", 2, "found variable 'b'"),
        ] {
            let e = parse_err(src);
            assert_eq!(e.position, position, "{src:?}: {e}");
            assert!(e.message.contains(message), "{src:?}: {e}");
        }
        assert_eq!(
            parse_err("abc$").to_string(),
            "at position 3: unexpected character '$'"
        );
        assert_eq!(
            parse_err("amount > 100 +").to_string(),
            "at position 14: expected an operand, found end of input"
        );
    }

    #[test]
    fn nesting_and_length_limits() {
        let ok = format!("{}1{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert_eq!(Expr::parse(&ok).unwrap().eval(&Map::new()), Ok(json!(1)));
        let ok = format!("{}true", "!".repeat(MAX_DEPTH));
        assert_eq!(Expr::parse(&ok).unwrap().eval(&Map::new()), Ok(json!(true)));

        for prefix in ["(", "!", "-", "not ", "(-"] {
            let src = format!("{}1", prefix.repeat(3999 / prefix.len()));
            let e = parse_err(&src[..src.len().min(3999)]);
            assert!(e.message.contains("nested too deeply"), "{prefix}: {e}");
        }
        assert_eq!(parse_err(&"(".repeat(3999)).position, 64);
        assert_eq!(parse_err(&"!".repeat(3999)).position, 64);
        // (- pairs: the 65th level is the 33rd '('.
        assert_eq!(parse_err(&"(-".repeat(1000)).position, 64);

        let e = parse_err(&"(".repeat(10_000));
        assert_eq!(e.position, 4000);
        assert!(e.message.contains("too long"), "{e}");
        assert!(Expr::parse(&"x".repeat(4000)).is_ok());
        assert_eq!(parse_err(&"x".repeat(4001)).position, 4000);
    }

    #[test]
    fn long_flat_chains_do_not_recurse() {
        // Half a tokio worker's default stack, in a debug build: operator
        // chains are flat and nesting is capped, so the worst case fits.
        let worker = std::thread::Builder::new()
            .stack_size(1024 * 1024)
            .spawn(|| {
                let sum = format!("1{}", "+1".repeat(1999));
                assert_eq!(
                    Expr::parse(&sum).unwrap().eval(&Map::new()),
                    Ok(json!(2000))
                );
                let ors = format!("x{}", " or x".repeat(799));
                let e = Expr::parse(&ors).unwrap();
                assert_eq!(e.eval_bool(&vars(json!({"x": false}))), Ok(false));
                let deep = format!("{}1{}", "(-(".repeat(21), "))".repeat(21));
                assert_eq!(Expr::parse(&deep).unwrap().eval(&Map::new()), Ok(json!(-1)));
                let nested = format!("{}x{}", "(not (".repeat(32), "))".repeat(32));
                assert!(Expr::parse(&nested).is_err());
            })
            .unwrap();
        worker.join().unwrap();
    }

    #[test]
    fn string_concatenation_is_bounded() {
        // The attack: ~2,000 `s+s+…` terms over a big variable. Refused at the
        // first concatenation that would pass the bound, before it allocates.
        let bomb = Expr::parse(&format!("s{} == ''", "+s".repeat(1990))).unwrap();
        let big = vars(json!({"s": "x".repeat(2 * 1024 * 1024)}));
        let started = std::time::Instant::now();
        assert_eq!(
            bomb.eval_bool(&big),
            Err(EvalError::StringTooLong {
                max: MAX_STRING_BYTES
            })
        );
        // Small pieces: it grows until the bound, then stops.
        let small = vars(json!({"s": "x".repeat(1024)}));
        assert_eq!(
            bomb.eval_bool(&small),
            Err(EvalError::StringTooLong {
                max: MAX_STRING_BYTES
            })
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        // Up to the bound is fine.
        let half = "y".repeat(MAX_STRING_BYTES / 2);
        assert_eq!(
            eval("s + s", json!({"s": half})).map(|v| v.as_str().unwrap().len()),
            Ok(MAX_STRING_BYTES)
        );
        assert!(eval(
            "s + s + 'z'",
            json!({"s": "y".repeat(MAX_STRING_BYTES / 2)})
        )
        .is_err());
        assert_eq!(
            EvalError::StringTooLong { max: 65536 }.to_string(),
            "a string in the condition would be longer than 65536 bytes"
        );
    }

    #[test]
    fn total_work_is_bounded() {
        // Comparing a 60 KB string 351 times reads 21 MB: over the budget.
        let s = "x".repeat(60_000);
        let src = format!("s == s{}", " and s == s".repeat(350));
        let e = Expr::parse(&src).unwrap();
        assert_eq!(
            e.eval_bool(&vars(json!({ "s": s }))),
            Err(EvalError::TooMuchWork { max: MAX_STEPS })
        );
        // The same condition over small values is cheap and fine.
        assert_eq!(e.eval_bool(&vars(json!({"s": "abc"}))), Ok(true));
        // Structural equality of big objects is charged per value visited.
        let obj: Map<String, Value> = (0..5_000).map(|i| (format!("k{i}"), json!(i))).collect();
        let src = format!("o == o{}", " and o == o".repeat(20));
        let e = Expr::parse(&src).unwrap();
        assert_eq!(
            e.eval_bool(&vars(json!({ "o": obj }))),
            Err(EvalError::TooMuchWork { max: MAX_STEPS })
        );
        assert_eq!(
            Expr::parse("o == o")
                .unwrap()
                .eval_bool(&vars(json!({ "o": obj }))),
            Ok(true)
        );
        // Ordering comparisons of strings count too.
        let src = format!("s <= s{}", " and s <= s".repeat(350));
        assert_eq!(
            Expr::parse(&src)
                .unwrap()
                .eval_bool(&vars(json!({"s": "x".repeat(60_000)}))),
            Err(EvalError::TooMuchWork { max: MAX_STEPS })
        );
    }

    #[test]
    fn variables_lists_top_level_names() {
        let e = Expr::parse(
            "customer.tier == \"gold\" and amount > limit or amount < 0 or customer.age > 3",
        )
        .unwrap();
        assert_eq!(e.variables(), vec!["amount", "customer", "limit"]);
        assert!(Expr::parse("1 + 2").unwrap().variables().is_empty());
        // Includes names in branches that short-circuit away.
        assert_eq!(Expr::parse("false and z").unwrap().variables(), vec!["z"]);
    }

    #[test]
    fn error_messages_read_well() {
        assert_eq!(missing("a.b").to_string(), "variable `a.b` is not set");
        assert_eq!(
            EvalError::NotABoolean {
                got: "number".into()
            }
            .to_string(),
            "the condition must be true or false, but it is number"
        );
        assert_eq!(EvalError::DivisionByZero.to_string(), "division by zero");
        assert_eq!(
            eval("'a' < 1", json!({})).unwrap_err().to_string(),
            "cannot apply `<` to string and number"
        );
    }

    /// Deterministic fuzzing: strings built from the grammar's pieces never
    /// make `parse` or `eval` panic, and errors point inside the input.
    #[test]
    fn random_inputs_never_panic() {
        #[rustfmt::skip]
        const PIECES: &[&str] = &[
            "a", "b.c", "b", "s", "n", "1", "0", "2.5", "'x'", "\"y\"", "(", ")", "!", "not ",
            " and ", " or ", "&&", "||", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/",
            "%", " ", "true", "false", "null", "\\", "$", "é", ".", "=", "&", "|", "'", "\"",
            "1e", "9999999999999999999", "_", "\n",
        ];
        let v = vars(json!({
            "a": 3, "b": {"c": "str"}, "s": "x", "n": null, "t": true, "arr": [1]
        }));
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |bound: usize| {
            // Knuth's MMIX LCG; the high bits are the good ones.
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((state >> 33) as usize) % bound
        };
        let mut parsed = 0;
        for _ in 0..20_000 {
            let len = next(24);
            let src: String = (0..len).map(|_| PIECES[next(PIECES.len())]).collect();
            match Expr::parse(&src) {
                Ok(e) => {
                    parsed += 1;
                    let first = e.eval(&v);
                    assert_eq!(first, e.eval(&v), "deterministic: {src:?}");
                    let _ = e.eval_bool(&v);
                    let _ = e.variables();
                }
                Err(e) => assert!(e.position <= src.chars().count(), "{src:?}: {e}"),
            }
        }
        assert!(parsed > 200, "generator too noisy: only {parsed} parsed");
    }
}
