<?php
// Oracle harness for test/oracle/laravel-php.test.ts: loads one config/cors.php
// the way Laravel does, with every environment variable unset, and prints what
// php-cors (or the laravel-cors package named by the mode) reads from it.
// Usage: php laravel-config.php <config file> <both|snake|camel> <defaults json> <paths default json>

function env($key, $default = null)
{
    return $default instanceof \Closure ? $default() : $default;
}

function config($key = null, $default = null)
{
    return $default;
}

[$_, $file, $mode, $defaultsJson, $pathsDefaultJson] = $argv;
$raw = require $file;
$merged = array_merge(json_decode($defaultsJson, true), $raw);

$pick = function (string $snake, string $camel, $default) use ($merged, $mode) {
    if ($mode === 'camel') {
        return array_key_exists($camel, $merged) ? $merged[$camel] : $default;
    }
    if ($mode === 'snake') {
        return array_key_exists($snake, $merged) ? $merged[$snake] : $default;
    }
    return $merged[$camel] ?? $merged[$snake] ?? $default;
};

$strings = fn ($list) => is_array($list) ? array_values(array_map(fn ($v) => is_array($v) ? 'Array' : strval($v), $list)) : null;

if ($mode === 'camel') {
    $maxAge = array_key_exists('maxAge', $merged) ? $merged['maxAge'] : 0;
} elseif ($mode === 'snake') {
    $maxAge = array_key_exists('max_age', $merged) ? $merged['max_age'] : 0;
} else {
    $maxAge = array_key_exists('maxAge', $merged) ? $merged['maxAge'] : (array_key_exists('max_age', $merged) ? $merged['max_age'] : 0);
}
$exposed = $pick('exposed_headers', 'exposedHeaders', []);
$origins = $pick('allowed_origins', 'allowedOrigins', []);
$paths = $mode === 'camel' ? null : ($merged['paths'] ?? json_decode($pathsDefaultJson, true));

echo json_encode([
    'raw' => $raw,
    'normalized' => [
        'origins' => is_array($origins) ? array_values(array_map(fn ($o) => $o === true ? '*' : strval($o), $origins)) : null,
        'patterns' => $strings($pick('allowed_origins_patterns', 'allowedOriginsPatterns', [])),
        'credentials' => (bool) $pick('supports_credentials', 'supportsCredentials', false),
        'methods' => $strings($pick('allowed_methods', 'allowedMethods', [])),
        'headers' => $strings($pick('allowed_headers', 'allowedHeaders', [])),
        'exposed' => $exposed === false ? [] : $strings($exposed),
        'max_age' => $maxAge === null ? null : (int) $maxAge,
        'paths' => is_array($paths) ? array_values(array_filter($paths, 'is_string')) : null,
    ],
], JSON_UNESCAPED_SLASHES);
