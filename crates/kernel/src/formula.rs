//! 公式: the small Excel-like formulas a hall writes for its own figures
//! (薪资项目 such as `基本工资 / 21.75 * 事假天数`, and later KPI weights).
//!
//! Why our own parser (ADR 0010): the people who write these are HR and
//! finance clerks who know Excel. They write Chinese names without quotes,
//! `IF(条件, 是, 否)` with commas, and often type full-width `（），`; they
//! need a Chinese message that names the place of a mistake and, for a
//! division, which divisor was zero. None of the maintained Rust evaluators
//! does that (exmex wants `{基本工资}` and has no IF, evalexpr is AGPL from
//! 12 on and divides integers, rhai is a scripting language), and the whole
//! language here is arithmetic, comparison and seven functions.
//!
//! Every number is an `f64`, so `1/2` is 0.5; a comparison is 1 or 0; `IF`
//! evaluates only the branch it takes, so `IF(天数 > 0, 工资 / 天数, 0)`
//! is how a formula guards its divisor.

use std::collections::BTreeSet;
use std::fmt;

/// The longest formula accepted, in characters.
pub const MAX_CHARS: usize = 500;
/// Nesting deeper than this is refused (so a formula cannot exhaust the stack).
const MAX_DEPTH: usize = 40;

/// The functions, as written in formulas (case-insensitive).
pub const FUNCTIONS: &[(&str, &str)] = &[
    ("IF", "IF(条件, 成立时, 不成立时)"),
    ("MIN", "MIN(a, b, …) 最小值"),
    ("MAX", "MAX(a, b, …) 最大值"),
    ("ROUND", "ROUND(x, 位数) 四舍五入，位数默认 0"),
    ("ABS", "ABS(x) 绝对值"),
    ("AND", "AND(a, b, …) 都成立为 1"),
    ("OR", "OR(a, b, …) 有一个成立为 1"),
];

/// What is wrong with a formula, or with evaluating it.
#[derive(Debug, Clone, PartialEq)]
pub enum FormulaError {
    /// The text does not parse; `at` counts characters from 1.
    Syntax {
        at: usize,
        message: String,
    },
    /// A name that is not one of the formula's variables.
    UnknownVariable(String),
    UnknownFunction(String),
    /// A function called with the wrong number of arguments.
    Arguments {
        function: String,
        rule: String,
    },
    /// The divisor (as written) evaluated to 0.
    DivideByZero {
        divisor: String,
    },
    /// The result is too large to be a figure.
    Overflow,
}

impl fmt::Display for FormulaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Syntax { at, message } => write!(f, "公式第 {at} 个字符处{message}"),
            Self::UnknownVariable(name) => write!(f, "公式中的“{name}”不是可用的变量"),
            Self::UnknownFunction(name) => {
                let names: Vec<&str> = FUNCTIONS.iter().map(|(n, _)| *n).collect();
                write!(
                    f,
                    "公式中的函数“{name}”不存在；可用的函数：{}",
                    names.join("、")
                )
            }
            Self::Arguments { function, rule } => write!(f, "函数 {function} {rule}"),
            Self::DivideByZero { divisor } => {
                write!(f, "公式除以零：除数“{divisor}”的值为 0")
            }
            Self::Overflow => write!(f, "公式的结果过大"),
        }
    }
}

impl std::error::Error for FormulaError {}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Function {
    If,
    Min,
    Max,
    Round,
    Abs,
    And,
    Or,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Number(f64),
    Variable(String),
    Negate(Box<Node>),
    Percent(Box<Node>),
    /// The right operand's text is kept to name a zero divisor.
    Binary(Op, Box<Node>, Box<Node>, String),
    Call(Function, Vec<Node>),
}

/// A parsed formula.
#[derive(Debug, Clone, PartialEq)]
pub struct Formula {
    source: String,
    root: Node,
}

impl Formula {
    /// Parses `source`; names are not checked here (see [`Formula::check`]).
    pub fn parse(source: &str) -> Result<Self, FormulaError> {
        let chars: Vec<char> = source.chars().collect();
        if chars.len() > MAX_CHARS {
            return Err(FormulaError::Syntax {
                at: MAX_CHARS + 1,
                message: format!("超出长度：公式最多 {MAX_CHARS} 个字符"),
            });
        }
        let tokens = tokenize(&chars)?;
        let mut p = Parser {
            chars: &chars,
            tokens: &tokens,
            pos: 0,
            depth: 0,
        };
        let root = p.comparison()?;
        if let Some(t) = p.peek() {
            return Err(p.error_at(t, "有多余的内容（缺少运算符？）"));
        }
        Ok(Self {
            source: source.trim().to_string(),
            root,
        })
    }

    /// Parses `source` and checks that every name it uses is in `known`.
    pub fn check(source: &str, known: &[&str]) -> Result<Self, FormulaError> {
        let f = Self::parse(source)?;
        if let Some(unknown) = f
            .variables()
            .into_iter()
            .find(|v| !known.contains(&v.as_str()))
        {
            return Err(FormulaError::UnknownVariable(unknown));
        }
        Ok(f)
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// The variables the formula reads.
    pub fn variables(&self) -> BTreeSet<String> {
        fn walk(n: &Node, out: &mut BTreeSet<String>) {
            match n {
                Node::Number(_) => {}
                Node::Variable(v) => {
                    out.insert(v.clone());
                }
                Node::Negate(a) | Node::Percent(a) => walk(a, out),
                Node::Binary(_, a, b, _) => {
                    walk(a, out);
                    walk(b, out);
                }
                Node::Call(_, args) => args.iter().for_each(|a| walk(a, out)),
            }
        }
        let mut out = BTreeSet::new();
        walk(&self.root, &mut out);
        out
    }

    /// Evaluates with each variable's value from `value` (a name it does not
    /// know is an error).
    pub fn eval(&self, value: &dyn Fn(&str) -> Option<f64>) -> Result<f64, FormulaError> {
        let v = eval(&self.root, value)?;
        if v.is_finite() {
            Ok(v)
        } else {
            Err(FormulaError::Overflow)
        }
    }
}

fn truth(v: f64) -> bool {
    v != 0.0
}

fn flag(b: bool) -> f64 {
    if b { 1.0 } else { 0.0 }
}

fn eval(n: &Node, value: &dyn Fn(&str) -> Option<f64>) -> Result<f64, FormulaError> {
    Ok(match n {
        Node::Number(x) => *x,
        Node::Variable(name) => {
            value(name).ok_or_else(|| FormulaError::UnknownVariable(name.clone()))?
        }
        Node::Negate(a) => -eval(a, value)?,
        Node::Percent(a) => eval(a, value)? / 100.0,
        Node::Binary(op, a, b, divisor) => {
            let (x, y) = (eval(a, value)?, eval(b, value)?);
            match op {
                Op::Add => x + y,
                Op::Sub => x - y,
                Op::Mul => x * y,
                Op::Div if y == 0.0 => {
                    return Err(FormulaError::DivideByZero {
                        divisor: divisor.clone(),
                    });
                }
                Op::Div => x / y,
                Op::Lt => flag(x < y),
                Op::Le => flag(x <= y),
                Op::Gt => flag(x > y),
                Op::Ge => flag(x >= y),
                Op::Eq => flag(x == y),
                Op::Ne => flag(x != y),
            }
        }
        Node::Call(f, args) => {
            let all = |args: &[Node]| -> Result<Vec<f64>, FormulaError> {
                args.iter().map(|a| eval(a, value)).collect()
            };
            match f {
                // Only the branch taken is evaluated: it may guard a divisor.
                Function::If => {
                    if truth(eval(&args[0], value)?) {
                        eval(&args[1], value)?
                    } else {
                        eval(&args[2], value)?
                    }
                }
                Function::Min => all(args)?.into_iter().fold(f64::INFINITY, f64::min),
                Function::Max => all(args)?.into_iter().fold(f64::NEG_INFINITY, f64::max),
                Function::Round => {
                    let x = eval(&args[0], value)?;
                    let places = match args.get(1) {
                        Some(p) => eval(p, value)?.round().clamp(-6.0, 6.0) as i32,
                        None => 0,
                    };
                    let scale = 10f64.powi(places);
                    // f64::round is half away from zero, as ROUND in Excel;
                    // the tiny nudge keeps 2.675 from rounding to 2.67.
                    ((x * scale) + x.signum() * 1e-9).round() / scale
                }
                Function::Abs => eval(&args[0], value)?.abs(),
                Function::And => flag(all(args)?.into_iter().all(truth)),
                Function::Or => flag(all(args)?.into_iter().any(truth)),
            }
        }
    })
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Number(f64),
    Name(String),
    Op(Op),
    Percent,
    Open,
    Close,
    Comma,
}

/// A token and the character index it starts at.
type Spanned = (Tok, usize, usize);

fn tokenize(chars: &[char]) -> Result<Vec<Spanned>, FormulaError> {
    let mut out = Vec::new();
    let mut i = 0;
    let syntax = |at: usize, message: String| FormulaError::Syntax {
        at: at + 1,
        message,
    };
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let next = chars.get(i + 1).copied();
        let tok = match c {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '0'..='9' | '.' => {
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                let n = text
                    .parse::<f64>()
                    .map_err(|_| syntax(start, format!("的数字“{text}”写法不对")))?;
                out.push((Tok::Number(n), start, i));
                continue;
            }
            c if c.is_alphabetic() || c == '_' => {
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                out.push((Tok::Name(chars[start..i].iter().collect()), start, i));
                continue;
            }
            '+' => Tok::Op(Op::Add),
            '-' => Tok::Op(Op::Sub),
            '*' | '×' => Tok::Op(Op::Mul),
            '/' | '÷' => Tok::Op(Op::Div),
            '%' | '％' => Tok::Percent,
            '(' | '（' => Tok::Open,
            ')' | '）' => Tok::Close,
            ',' | '，' => Tok::Comma,
            '≥' => Tok::Op(Op::Ge),
            '≤' => Tok::Op(Op::Le),
            '≠' => Tok::Op(Op::Ne),
            '>' | '＞' if next == Some('=') => {
                i += 1;
                Tok::Op(Op::Ge)
            }
            '<' | '＜' if next == Some('=') => {
                i += 1;
                Tok::Op(Op::Le)
            }
            '<' if next == Some('>') => {
                i += 1;
                Tok::Op(Op::Ne)
            }
            '!' if next == Some('=') => {
                i += 1;
                Tok::Op(Op::Ne)
            }
            '=' if next == Some('=') => {
                i += 1;
                Tok::Op(Op::Eq)
            }
            '>' | '＞' => Tok::Op(Op::Gt),
            '<' | '＜' => Tok::Op(Op::Lt),
            '=' | '＝' => Tok::Op(Op::Eq),
            other => return Err(syntax(start, format!("的“{other}”不是可用的符号"))),
        };
        i += 1;
        out.push((tok, start, i));
    }
    Ok(out)
}

struct Parser<'a> {
    chars: &'a [char],
    tokens: &'a [Spanned],
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Spanned> {
        self.tokens.get(self.pos)
    }

    fn error_at(&self, t: &Spanned, message: &str) -> FormulaError {
        let shown: String = self.chars[t.1..t.2].iter().collect();
        FormulaError::Syntax {
            at: t.1 + 1,
            message: format!("“{shown}”{message}"),
        }
    }

    fn error_at_end(&self, message: &str) -> FormulaError {
        FormulaError::Syntax {
            at: self.chars.len().max(1),
            message: format!("（公式末尾）{message}"),
        }
    }

    fn text(&self, from: usize) -> String {
        let (start, end) = (self.tokens[from].1, self.tokens[self.pos - 1].2);
        self.chars[start..end].iter().collect::<String>()
    }

    fn op_here(&self, ops: &[Op]) -> Option<Op> {
        match self.peek() {
            Some((Tok::Op(op), ..)) if ops.contains(op) => Some(*op),
            _ => None,
        }
    }

    fn comparison(&mut self) -> Result<Node, FormulaError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_at_end(&format!("嵌套超过 {MAX_DEPTH} 层")));
        }
        const CMP: &[Op] = &[Op::Lt, Op::Le, Op::Gt, Op::Ge, Op::Eq, Op::Ne];
        let left = self.sum()?;
        let node = match self.op_here(CMP) {
            Some(op) => {
                self.pos += 1;
                let from = self.pos;
                let right = self.sum()?;
                if let Some(t) = self.peek().filter(|_| self.op_here(CMP).is_some()) {
                    return Err(self.error_at(t, "：比较不能连写，请用 AND(…)"));
                }
                let text = self.text(from);
                Node::Binary(op, Box::new(left), Box::new(right), text)
            }
            None => left,
        };
        self.depth -= 1;
        Ok(node)
    }

    fn sum(&mut self) -> Result<Node, FormulaError> {
        let mut left = self.product()?;
        while let Some(op) = self.op_here(&[Op::Add, Op::Sub]) {
            self.pos += 1;
            let from = self.pos;
            let right = self.product()?;
            let text = self.text(from);
            left = Node::Binary(op, Box::new(left), Box::new(right), text);
        }
        Ok(left)
    }

    fn product(&mut self) -> Result<Node, FormulaError> {
        let mut left = self.unary()?;
        while let Some(op) = self.op_here(&[Op::Mul, Op::Div]) {
            self.pos += 1;
            let from = self.pos;
            let right = self.unary()?;
            let text = self.text(from);
            left = Node::Binary(op, Box::new(left), Box::new(right), text);
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Node, FormulaError> {
        match self.op_here(&[Op::Sub, Op::Add]) {
            Some(op) => {
                self.pos += 1;
                let inner = self.unary()?;
                Ok(if op == Op::Sub {
                    Node::Negate(Box::new(inner))
                } else {
                    inner
                })
            }
            None => {
                let mut node = self.primary()?;
                while matches!(self.peek(), Some((Tok::Percent, ..))) {
                    self.pos += 1;
                    node = Node::Percent(Box::new(node));
                }
                Ok(node)
            }
        }
    }

    fn primary(&mut self) -> Result<Node, FormulaError> {
        let Some(t) = self.peek().cloned() else {
            return Err(self.error_at_end("缺少数字、变量或括号"));
        };
        self.pos += 1;
        match t.0 {
            Tok::Number(n) => Ok(Node::Number(n)),
            Tok::Name(name) if matches!(self.peek(), Some((Tok::Open, ..))) => {
                self.pos += 1;
                self.call(&name)
            }
            Tok::Name(name) => Ok(Node::Variable(name)),
            Tok::Open => {
                let inner = self.comparison()?;
                match self.peek() {
                    Some((Tok::Close, ..)) => {
                        self.pos += 1;
                        Ok(inner)
                    }
                    Some(other) => Err(self.error_at(other, "前缺少右括号“)”")),
                    None => Err(self.error_at_end("缺少右括号“)”")),
                }
            }
            _ => Err(self.error_at(&t, "处应为数字、变量或左括号")),
        }
    }

    fn call(&mut self, name: &str) -> Result<Node, FormulaError> {
        let function = match name.to_ascii_uppercase().as_str() {
            "IF" => Function::If,
            "MIN" => Function::Min,
            "MAX" => Function::Max,
            "ROUND" => Function::Round,
            "ABS" => Function::Abs,
            "AND" => Function::And,
            "OR" => Function::Or,
            _ => return Err(FormulaError::UnknownFunction(name.to_string())),
        };
        let mut args = Vec::new();
        if matches!(self.peek(), Some((Tok::Close, ..))) {
            self.pos += 1;
        } else {
            loop {
                args.push(self.comparison()?);
                match self.peek() {
                    Some((Tok::Comma, ..)) => self.pos += 1,
                    Some((Tok::Close, ..)) => {
                        self.pos += 1;
                        break;
                    }
                    Some(other) => {
                        return Err(self.error_at(other, "处应为逗号或右括号“)”"));
                    }
                    None => return Err(self.error_at_end("缺少右括号“)”")),
                }
            }
        }
        let n = args.len();
        let rule = match function {
            Function::If if n != 3 => Some("需要 3 个参数：条件、成立时的值、不成立时的值"),
            Function::Round if !(1..=2).contains(&n) => Some("需要 1 或 2 个参数：数值、位数"),
            Function::Abs if n != 1 => Some("需要 1 个参数"),
            Function::Min | Function::Max | Function::And | Function::Or if n == 0 => {
                Some("至少需要 1 个参数")
            }
            _ => None,
        };
        if let Some(rule) = rule {
            return Err(FormulaError::Arguments {
                function: name.to_ascii_uppercase(),
                rule: rule.into(),
            });
        }
        Ok(Node::Call(function, args))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn run(src: &str, vars: &[(&str, f64)]) -> Result<f64, FormulaError> {
        let f = Formula::parse(src)?;
        f.eval(&|n| vars.iter().find(|(k, _)| *k == n).map(|(_, v)| *v))
    }

    #[test]
    fn arithmetic_follows_the_usual_precedence() {
        assert_eq!(run("1 + 2 * 3", &[]), Ok(7.0));
        assert_eq!(run("(1 + 2) * 3", &[]), Ok(9.0));
        assert_eq!(run("1/2", &[]), Ok(0.5));
        assert_eq!(run("-2 * -3", &[]), Ok(6.0));
        assert_eq!(run("10 - 4 - 3", &[]), Ok(3.0));
        assert_eq!(run("50%", &[]), Ok(0.5));
        assert_eq!(run("2 × 3 ÷ 4", &[]), Ok(1.5));
    }

    #[test]
    fn chinese_names_and_full_width_punctuation() {
        let v = [("基本工资", 4350.0), ("事假天数", 2.0)];
        let r = run("ROUND（基本工资 / 21.75 * 事假天数，2）", &v).unwrap();
        assert_eq!(r, 400.0);
        let f = Formula::parse("基本工资 + 岗位工资 * 10%").unwrap();
        assert_eq!(
            f.variables().into_iter().collect::<Vec<_>>(),
            ["基本工资", "岗位工资"]
        );
    }

    #[test]
    fn functions_and_comparisons() {
        let v = [("迟到次数", 3.0), ("实出勤天数", 0.0)];
        assert_eq!(run("IF(迟到次数 > 2, 100, 0)", &v), Ok(100.0));
        assert_eq!(run("if(迟到次数 >= 4, 100, 0)", &v), Ok(0.0));
        assert_eq!(run("MAX(0, 200 - 迟到次数 * 50)", &v), Ok(50.0));
        assert_eq!(run("MIN(3, 1, 2)", &[]), Ok(1.0));
        assert_eq!(run("AND(1, 迟到次数 = 3)", &v), Ok(1.0));
        assert_eq!(run("OR(0, 迟到次数 <> 3)", &v), Ok(0.0));
        assert_eq!(run("ROUND(2.675, 2)", &[]), Ok(2.68));
        assert_eq!(run("ROUND(-2.5)", &[]), Ok(-3.0));
        assert_eq!(run("ABS(-4)", &[]), Ok(4.0));
        // Only the branch taken is evaluated, so IF guards a divisor.
        assert_eq!(run("IF(实出勤天数 > 0, 100 / 实出勤天数, 0)", &v), Ok(0.0));
    }

    #[test]
    fn division_by_zero_names_the_divisor() {
        let v = [("应出勤天数", 22.0), ("实出勤天数", 22.0)];
        assert_eq!(
            run("100 / (应出勤天数 - 实出勤天数)", &v),
            Err(FormulaError::DivideByZero {
                divisor: "(应出勤天数 - 实出勤天数)".into()
            })
        );
        let e = run("1/0", &[]).unwrap_err().to_string();
        assert_eq!(e, "公式除以零：除数“0”的值为 0");
    }

    #[test]
    fn syntax_errors_say_where() {
        let e = |s: &str| Formula::parse(s).unwrap_err().to_string();
        assert_eq!(
            e("基本工资 *"),
            "公式第 6 个字符处（公式末尾）缺少数字、变量或括号"
        );
        assert_eq!(e("(1 + 2"), "公式第 6 个字符处（公式末尾）缺少右括号“)”");
        assert_eq!(
            e("1 + 2)"),
            "公式第 6 个字符处“)”有多余的内容（缺少运算符？）"
        );
        assert_eq!(e("1 $ 2"), "公式第 3 个字符处的“$”不是可用的符号");
        assert_eq!(e("1..2"), "公式第 1 个字符处的数字“1..2”写法不对");
        assert_eq!(
            e("工资 工资"),
            "公式第 4 个字符处“工资”有多余的内容（缺少运算符？）"
        );
        assert_eq!(
            e("1 < 2 < 3"),
            "公式第 7 个字符处“<”：比较不能连写，请用 AND(…)"
        );
        assert_eq!(e(""), "公式第 1 个字符处（公式末尾）缺少数字、变量或括号");
        assert!(e("SUM(1,2)").contains("函数“SUM”不存在"));
        assert_eq!(
            e("IF(1, 2)"),
            "函数 IF 需要 3 个参数：条件、成立时的值、不成立时的值"
        );
        assert!(e(&"(".repeat(100)).contains("嵌套超过"));
        assert!(e(&"1+".repeat(300)).contains("超出长度"));
    }

    #[test]
    fn check_names_an_unknown_variable() {
        assert_eq!(
            Formula::check("基本工资 + 奖金", &["基本工资"]),
            Err(FormulaError::UnknownVariable("奖金".into()))
        );
        assert!(Formula::check("基本工资 * 2", &["基本工资"]).is_ok());
    }

    /// A random expression with the value it must have.
    fn expr() -> impl Strategy<Value = (String, f64)> {
        let leaf = prop_oneof![
            (0u32..1000).prop_map(|n| (n.to_string(), f64::from(n))),
            Just(("甲".to_string(), 7.0)),
            Just(("乙_2".to_string(), 0.5)),
        ];
        leaf.prop_recursive(5, 40, 3, |inner| {
            prop_oneof![
                (inner.clone(), inner.clone())
                    .prop_map(|((a, x), (b, y))| (format!("({a} + {b})"), x + y)),
                (inner.clone(), inner.clone())
                    .prop_map(|((a, x), (b, y))| (format!("{a} * {b}"), x * y)),
                (inner.clone(), inner.clone())
                    .prop_map(|((a, x), (b, y))| (format!("MAX({a}，{b})"), x.max(y))),
                inner.clone().prop_map(|(a, x)| (format!("-({a})"), -x)),
                (inner.clone(), inner).prop_map(|((a, x), (b, y))| (
                    format!("IF({a} > {b}, {a}, {b})"),
                    if x > y { x } else { y }
                )),
            ]
        })
    }

    proptest! {
        #[test]
        fn evaluates_what_was_written((src, want) in expr()) {
            let got = run(&src, &[("甲", 7.0), ("乙_2", 0.5)]).unwrap();
            prop_assert!((got - want).abs() <= 1e-9 * want.abs().max(1.0), "{src}: {got} != {want}");
        }

        #[test]
        fn never_panics_on_any_text(src in "\\PC{0,60}") {
            let _ = Formula::parse(&src).map(|f| f.eval(&|_| Some(1.0)));
        }
    }
}
