// A large but realistic compose file: services in the shapes the corpus shows (images, ports,
// environment maps and lists, volumes, depends_on, merge keys), deterministic for a given count.
export function generateServices(count) {
  const lines = [
    '# generated for the benchmark',
    'x-defaults: &defaults',
    '  restart: unless-stopped',
    '  logging:',
    '    driver: json-file',
    '    options: { max-size: "10m", max-file: "3" }',
    '',
    'services:',
  ];
  for (let i = 0; i < count; i++) {
    const kind = i % 4;
    lines.push(`  svc-${i}:`);
    if (kind === 0) lines.push('    <<: *defaults');
    lines.push(`    image: registry.example.com/team/app-${i % 37}:1.${i % 10}.${i % 7}`);
    if (kind !== 3) lines.push('    ports:', `      - "${10000 + i}:8080"`);
    lines.push('    environment:');
    if (kind === 1) lines.push(`      - APP_ID=${i}`, '      - LOG_LEVEL=info');
    else lines.push(`      APP_ID: "${i}"`, '      LOG_LEVEL: info   # verbose in staging');
    lines.push('    volumes:', `      - data-${i % 50}:/var/lib/app`, '      - ./config:/etc/app:ro');
    if (i > 0) lines.push('    depends_on:', `      - svc-${i - 1}`);
    if (kind === 2) lines.push('    security_opt: ["label:type:container_t"]');
    lines.push('');
  }
  lines.push('volumes:');
  for (let v = 0; v < 50; v++) lines.push(`  data-${v}:`);
  return `${lines.join('\n')}\n`;
}
