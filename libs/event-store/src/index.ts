export { createPrismaClient, type PrismaClient, type PrismaClientOptions } from './prisma-client';
