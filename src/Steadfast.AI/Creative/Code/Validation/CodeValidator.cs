using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Steadfast.AI.Creative;

/// <summary>
/// Static validation of generated C#: the program is parsed and bound by Roslyn, and refused when its syntax uses a
/// forbidden construct (unsafe code, pointers, stackalloc, attributes such as [DllImport], extern, __arglist/__makeref,
/// extern aliases, lock) or when any name it binds — type, member, namespace, the type of any expression — is outside
/// <see cref="ApiAllowList"/>, or when it does not compile. The compilation is handed on, so what runs is what was checked.
/// </summary>
internal static class CodeValidator
{
    public static CodeVerdict Validate(string source, int maxLength)
    {
        if (source.Length > maxLength)
        {
            return new CodeVerdict([$"the program is {source.Length} characters long; at most {maxLength} are accepted"], null);
        }

        var compilation = CodeCompiler.CreateCompilation(source, allowUnsafe: false);
        var violations = new List<string>();
        var tree = compilation.SyntaxTrees[0];
        var model = compilation.GetSemanticModel(tree);
        foreach (var node in tree.GetRoot().DescendantNodesAndSelf())
        {
            if (Forbidden(node) is { } construct)
            {
                violations.Add($"{Line(node)}: {construct} is not allowed");
                continue;
            }

            CheckBinding(node, model, compilation.Assembly, violations);
        }

        foreach (var d in compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(5))
        {
            violations.Add($"{Line(d.Location)}: does not compile: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
        }

        return new CodeVerdict(violations.Distinct(StringComparer.Ordinal).ToList(), violations.Count == 0 ? compilation : null);
    }

    private static string? Forbidden(SyntaxNode node) => node switch
    {
        UnsafeStatementSyntax => "an unsafe block",
        FixedStatementSyntax => "a fixed statement",
        PointerTypeSyntax => "a pointer type",
        FunctionPointerTypeSyntax => "a function pointer",
        StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax => "stackalloc",
        AttributeListSyntax => "an attribute",
        ExternAliasDirectiveSyntax => "an extern alias",
        LockStatementSyntax => "lock (threads are not allowed)",
        MakeRefExpressionSyntax or RefTypeExpressionSyntax or RefValueExpressionSyntax => "__makeref/__reftype/__refvalue",
        LiteralExpressionSyntax l when l.IsKind(SyntaxKind.ArgListExpression) => "__arglist",
        MemberDeclarationSyntax m when m.Modifiers.Any(SyntaxKind.UnsafeKeyword) => "the unsafe modifier",
        MemberDeclarationSyntax m when m.Modifiers.Any(SyntaxKind.ExternKeyword) => "the extern modifier",
        LocalFunctionStatementSyntax f when f.Modifiers.Any(SyntaxKind.UnsafeKeyword) || f.Modifiers.Any(SyntaxKind.ExternKeyword) => "an unsafe or extern local function",
        _ => null,
    };

    private static void CheckBinding(SyntaxNode node, SemanticModel model, IAssemblySymbol own, List<string> violations)
    {
        if (node is UsingDirectiveSyntax or ExternAliasDirectiveSyntax or CompilationUnitSyntax or BlockSyntax)
        {
            if (node is UsingDirectiveSyntax { Name: { } name } u && model.GetSymbolInfo(name).Symbol is INamespaceSymbol ns
                && !ApiAllowList.IsAllowedNamespace(ns.ToDisplayString()))
            {
                violations.Add($"{Line(u)}: the namespace {ns.ToDisplayString()} is not allowed");
            }

            return;
        }

        var info = model.GetSymbolInfo(node);
        foreach (var symbol in info.Symbol is { } s ? [s] : info.CandidateSymbols)
        {
            if (Why(symbol, own) is { } why)
            {
                violations.Add($"{Line(node)}: {why}");
            }
        }

        if (node is ExpressionSyntax)
        {
            var type = model.GetTypeInfo(node);
            foreach (var t in new[] { type.Type, type.ConvertedType })
            {
                if (t is not null && WhyType(t, own) is { } why)
                {
                    violations.Add($"{Line(node)}: {why}");
                }
            }
        }

        if (model.GetDeclaredSymbol(node) is { } declared)
        {
            if (declared is INamedTypeSymbol declaredType && declaredType.BaseType is { } baseType && WhyType(baseType, own) is { } why)
            {
                violations.Add($"{Line(node)}: {why}");
            }
        }
    }

    private static string? Why(ISymbol symbol, IAssemblySymbol own)
    {
        switch (symbol)
        {
            case IAliasSymbol alias:
                return Why(alias.Target, own);
            case INamespaceSymbol ns:
                return ApiAllowList.IsAllowedNamespace(ns.ToDisplayString()) ? null : $"the namespace {ns.ToDisplayString()} is not allowed";
            case ITypeSymbol type:
                return WhyType(type, own);
            case IMethodSymbol method:
                var m = method.ReducedFrom ?? method;
                if (m.MethodKind is MethodKind.LambdaMethod or MethodKind.LocalFunction || Own(m, own))
                {
                    return m.TypeArguments.Select(t => WhyType(t, own)).FirstOrDefault(w => w is not null);
                }

                return WhyMember(m, own) ?? m.TypeArguments.Select(t => WhyType(t, own)).FirstOrDefault(w => w is not null);
            case IPropertySymbol or IFieldSymbol or IEventSymbol:
                return Own(symbol, own) ? null : WhyMember(symbol, own);
            case ILocalSymbol local:
                return WhyType(local.Type, own);
            case IParameterSymbol parameter:
                return WhyType(parameter.Type, own);
            default:
                return null;
        }
    }

    private static string? WhyMember(ISymbol member, IAssemblySymbol own)
    {
        if (member.ContainingType is { } type && WhyType(type, own) is { } why)
        {
            return why;
        }

        return member.ContainingType is not null && ApiAllowList.IsDeniedMember(member)
            ? $"{member.ContainingType.ToDisplayString()}.{member.Name} is not allowed"
            : null;
    }

    private static string? WhyType(ITypeSymbol type, IAssemblySymbol own, int depth = 0)
    {
        if (depth > 16)
        {
            return null;
        }

        switch (type)
        {
            case IArrayTypeSymbol array:
                return WhyType(array.ElementType, own, depth + 1);
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                return "pointers are not allowed";
            case ITypeParameterSymbol:
                return null;
            case IErrorTypeSymbol:
                return null; // reported as a compile error
            case { TypeKind: TypeKind.Dynamic }:
                return "dynamic is not allowed (it binds by reflection)";
            case INamedTypeSymbol named:
                if (!named.IsAnonymousType && !Own(named, own) && !named.IsTupleType && !ApiAllowList.IsAllowedType(named))
                {
                    return $"the type {named.OriginalDefinition.ToDisplayString()} is not allowed";
                }

                var args = named.IsTupleType ? named.TupleElements.Select(e => e.Type) : named.TypeArguments;
                return args.Select(t => WhyType(t, own, depth + 1)).FirstOrDefault(w => w is not null);
            default:
                return null;
        }
    }

    private static bool Own(ISymbol symbol, IAssemblySymbol own) => SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, own);

    private static string Line(SyntaxNode node) => Line(node.GetLocation());

    private static string Line(Location location) => "line " + (location.GetLineSpan().StartLinePosition.Line + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
